using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>Stands in when the dashboard runs without an orchestrator (telemetry only): nothing to list or run.</summary>
public sealed class NoResources : IResourceService
{
    public ResourceChangeSignal Changes { get; } = new();

    public IReadOnlyList<ResourceSnapshot> GetResources() => [];

    public ResourceSnapshot? GetResource(string name) => null;

    public ResourceLogBuffer? GetLogs(string name) => null;

    public Task<bool> StartResourceAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> StopResourceAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<bool> RestartResourceAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);
}
