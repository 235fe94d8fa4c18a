namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// The latest value of one time series (one attribute set) of a metric. For histograms <see cref="Value"/>
/// is the sum and <see cref="Average"/>, <see cref="P50"/>, <see cref="P95"/> are derived from the buckets.
/// </summary>
public sealed record MetricSeriesValue(
    string SeriesKey,
    IReadOnlyList<TelemetryAttribute> Attributes,
    DateTimeOffset Time,
    double Value,
    long Count,
    double? Average,
    double? P50,
    double? P95,
    double? Min,
    double? Max);
