using System.Globalization;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Resident memory from /proc: one process, or a process with its children (Postgres and its backends).</summary>
public static class ProcessMemory
{
    public static long RssBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The process and its direct children (Postgres backends are children of the postmaster).</summary>
    public static long RssWithChildrenBytes(int pid)
    {
        var total = RssBytes(pid);
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var child) && ParentOf(child) == pid)
            {
                total += RssBytes(child);
            }
        }
        return total;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
