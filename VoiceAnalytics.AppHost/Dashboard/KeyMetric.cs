namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>A headline metric of the Metrics page, found by instrument name among whatever the services export.</summary>
public sealed record KeyMetric(string Id, string Title, IReadOnlyList<string> NameContains);
