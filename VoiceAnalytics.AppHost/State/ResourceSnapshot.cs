namespace VoiceAnalytics.AppHost.State;

/// <summary>
/// What <c>GET /api/resources</c> returns for one resource, and what the dashboard renders. Immutable: a new
/// snapshot is taken on every change. <c>Health</c> is null while the resource is not running.
/// </summary>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    string State,
    string? Health,
    IReadOnlyList<EndpointSnapshot> Endpoints,
    int? Pid,
    DateTimeOffset? StartedAt,
    int Restarts,
    int? ExitCode,
    IReadOnlyList<string> WaitsFor,
    string? Message,
    IReadOnlyDictionary<string, string> Properties);
