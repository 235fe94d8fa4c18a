using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>One headline panel and the metrics that matched it.</summary>
public sealed record KeyMetricPanel(string Id, string Title, IReadOnlyList<MetricSummary> Metrics);
