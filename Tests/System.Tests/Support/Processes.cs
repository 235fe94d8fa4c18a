namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Process facts from /proc: children, liveness (a zombie is dead), command lines.</summary>
public static class Processes
{
    /// <summary>
    /// The service behind a DCP executable: the process itself (a service started as <c>dotnet &lt;dll&gt;</c>,
    /// postgres), or the only child of a <c>dotnet run</c> (Aspire's own launch of a project, the AppHost's fallback).
    /// </summary>
    public static int ServiceProcess(int pid)
    {
        var cmdline = CommandLine(pid);
        return cmdline.StartsWith("dotnet run", StringComparison.Ordinal) && Children(pid).FirstOrDefault() is var child and > 0 ? child : pid;
    }

    public static IEnumerable<int> Children(int pid) =>
        AllPids().Where(p => ParentOf(p) == pid);

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Live processes whose command line mentions <paramref name="text"/> (a data folder, say).</summary>
    public static List<string> Mentioning(string text) =>
        [.. AllPids().Where(IsAlive).Select(CommandLine).Where(c => c.Contains(text, StringComparison.Ordinal))];

    /// <summary>SIGKILL, as a crash or the OOM killer would.</summary>
    public static void KillHard(int pid)
    {
        using var process = global::System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
    }

    private static IEnumerable<int> AllPids() =>
        Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : 0).Where(p => p > 0);

    public static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], global::System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
