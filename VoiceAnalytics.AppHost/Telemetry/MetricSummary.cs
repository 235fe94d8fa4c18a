namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>One metric of one resource with the latest value of each of its series.</summary>
public sealed record MetricSummary(
    string ServiceName,
    string Name,
    string Description,
    string Unit,
    string Type,
    IReadOnlyList<MetricSeriesValue> Series);
