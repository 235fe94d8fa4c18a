using System.Reflection;

namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>A service's schema and the ordered SQL files (embedded resources) that build it.</summary>
public sealed record MigrationSet(string Schema, Assembly Assembly) : IMigrationSource
{
    /// <summary>The embedded <c>*.Data.Migrations.*.sql</c> files, ordered by name (<c>001_…</c>, <c>002_…</c>).</summary>
    public IReadOnlyList<(string Version, string Sql)> Load()
    {
        var migrations = new List<(string, string)>();
        foreach (var name in Assembly.GetManifestResourceNames()
                     .Where(n => n.Contains(".Data.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = Assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var version = name[(name.IndexOf(".Data.Migrations.", StringComparison.Ordinal) + ".Data.Migrations.".Length)..^".sql".Length];
            migrations.Add((version, reader.ReadToEnd()));
        }
        return migrations;
    }
}
