namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>The PostgreSQL server programs: on PATH, or Debian's <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (newest first).</summary>
internal static class PostgresBinaries
{
    public static string? FindBinDirectory()
    {
        if (Executables.Find("initdb") is { } initdb && File.Exists(Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl")))
        {
            return Path.GetDirectoryName(initdb);
        }
        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(d => Path.Combine(d, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }
}
