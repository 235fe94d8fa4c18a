namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>A resource as the Resources page shows it.</summary>
public sealed record DashboardResource(
    string Name,
    string Type,
    string State,
    string Health,
    IReadOnlyList<ResourceEndpointLink> Endpoints,
    DateTimeOffset? StartedAt,
    int Restarts,
    int? Pid,
    int? ExitCode);
