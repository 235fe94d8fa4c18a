namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>One point of a chart: the value of a series at a time (for histograms, the running average).</summary>
public sealed record MetricSample(string SeriesKey, DateTimeOffset Time, double Value);
