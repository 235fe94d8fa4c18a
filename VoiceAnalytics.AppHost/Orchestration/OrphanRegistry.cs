using System.Globalization;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// Remembers the children of this run in <c>apphost.pids</c> (pid, start time, stop signal). The parent-death
/// signal normally stops them with the AppHost; where setpriv is missing, the next start reads this file and
/// stops whatever is left, checking the start time so that a reused pid is never touched.
/// </summary>
internal sealed class OrphanRegistry(string dataDirectory)
{
    private readonly string _path = Path.Combine(dataDirectory, "apphost.pids");
    private readonly Dictionary<int, (long StartTime, int Signal, string Name)> _children = [];
    private readonly Lock _lock = new();

    /// <summary>Stops the children a previous, killed AppHost left behind. Returns their names.</summary>
    public async Task<IReadOnlyList<string>> StopLeftoversAsync()
    {
        if (!File.Exists(_path))
        {
            return [];
        }
        var leftovers = new List<(int Pid, string Name)>();
        foreach (var line in await File.ReadAllLinesAsync(_path))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length == 4
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTime)
                && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var signal)
                && PosixProcesses.StartTime(pid) == startTime
                && PosixProcesses.IsAlive(pid))
            {
                PosixProcesses.Signal(pid, signal);
                leftovers.Add((pid, parts[3]));
            }
        }
        for (var waited = 0; waited < 50 && leftovers.Any(l => PosixProcesses.IsAlive(l.Pid)); waited++)
        {
            await Task.Delay(100);
        }
        foreach (var (pid, _) in leftovers.Where(l => PosixProcesses.IsAlive(l.Pid)))
        {
            PosixProcesses.Signal(pid, PosixProcesses.SigKill);
        }
        File.Delete(_path);
        return [.. leftovers.Select(l => $"{l.Name} (pid {l.Pid})")];
    }

    public void Add(int pid, int stopSignal, string name)
    {
        if (PosixProcesses.StartTime(pid) is not { } startTime)
        {
            return;
        }
        lock (_lock)
        {
            _children[pid] = (startTime, stopSignal, name);
            Save();
        }
    }

    public void Remove(int pid)
    {
        lock (_lock)
        {
            if (_children.Remove(pid))
            {
                Save();
            }
        }
    }

    private void Save()
    {
        if (_children.Count == 0)
        {
            File.Delete(_path);
            return;
        }
        File.WriteAllLines(_path, _children.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.StartTime} {c.Value.Signal} {c.Value.Name}")));
    }
}
