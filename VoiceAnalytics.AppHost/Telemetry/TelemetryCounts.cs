namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>What the store holds now and what its bounds have dropped since start.</summary>
public sealed record TelemetryCounts(
    int Spans, int Logs, int MetricPoints, long DroppedSpans, long DroppedLogs, long DroppedMetricPoints);
