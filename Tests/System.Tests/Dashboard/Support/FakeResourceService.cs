using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>
/// An orchestrator stand-in for dashboard tests: three running, healthy services with console output, whose
/// commands change state the way the real one reports it (stop → Stopped, start/restart → Running, restarts+1).
/// </summary>
public sealed class FakeResourceService : IResourceService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceSnapshot> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceLogBuffer> _logs = new(StringComparer.Ordinal);

    public FakeResourceService()
    {
        var port = 5080;
        foreach (var name in new[] { "gateway", "analysis", "crm" })
        {
            _resources[name] = new ResourceSnapshot(name, "Project", KnownResourceStates.Running, KnownHealthStates.Healthy,
                [new EndpointSnapshot("http", $"http://127.0.0.1:{port++}", "http", name == "gateway")],
                4000 + port, DateTimeOffset.UtcNow.AddMinutes(-3), 0, null, [], null, new Dictionary<string, string>());
            var buffer = new ResourceLogBuffer(500);
            buffer.Add($"info: Microsoft.Hosting.Lifetime[14] Now listening on: http://127.0.0.1:{port - 1}", false);
            buffer.Add($"info: {name} started", false);
            _logs[name] = buffer;
        }
        _logs["analysis"].Add("warn: OpenAI answered 429, retrying in 2 s", true);
    }

    public ResourceChangeSignal Changes { get; } = new();

    public List<string> Commands { get; } = [];

    public IReadOnlyList<ResourceSnapshot> GetResources()
    {
        lock (_lock)
        {
            return [.. _resources.Values];
        }
    }

    public ResourceSnapshot? GetResource(string name)
    {
        lock (_lock)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    public ResourceLogBuffer? GetLogs(string name) => _logs.GetValueOrDefault(name);

    public Task<bool> StartResourceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Apply(name, "start", r => r with { State = KnownResourceStates.Running, Health = KnownHealthStates.Healthy }));

    public Task<bool> StopResourceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Apply(name, "stop", r => r with { State = KnownResourceStates.Stopped, Health = null, Pid = null }));

    public Task<bool> RestartResourceAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Apply(name, "restart", r => r with
        {
            State = KnownResourceStates.Running, Health = KnownHealthStates.Healthy, Restarts = r.Restarts + 1, StartedAt = DateTimeOffset.UtcNow,
        }));

    private bool Apply(string name, string command, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        ResourceSnapshot updated;
        lock (_lock)
        {
            if (!_resources.TryGetValue(name, out var current))
            {
                return false;
            }
            _resources[name] = updated = change(current);
            Commands.Add($"{command} {name}");
        }
        _logs[name].Add($"[apphost] {command} requested", false);
        Changes.Notify(updated);
        return true;
    }
}
