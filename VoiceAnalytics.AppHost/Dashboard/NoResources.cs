namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>Stands in when the dashboard runs without an orchestrator (telemetry-only use): nothing to list or run.</summary>
public sealed class NoResources : IDashboardResources, IConsoleLogSource
{
    public IReadOnlyList<DashboardResource> List() => [];

    public Task<bool> ExecuteAsync(string name, ResourceCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    public IReadOnlyList<ConsoleLogLine>? Read(string resource, long afterSequence, int max) => null;
}
