namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// One metric data point. For sums and gauges <see cref="Value"/> is the value; for histograms it is the
/// sum of the recorded values, with <see cref="Count"/>, <see cref="Min"/>, <see cref="Max"/> and the
/// explicit buckets kept so the dashboard can show an average and percentiles.
/// </summary>
public sealed record StoredMetricPoint(
    string ServiceName,
    string Name,
    string Description,
    string Unit,
    string Type,
    DateTimeOffset Time,
    IReadOnlyList<TelemetryAttribute> Attributes,
    double Value,
    long Count,
    double? Min,
    double? Max,
    IReadOnlyList<double> BucketBounds,
    IReadOnlyList<long> BucketCounts)
{
    /// <summary>A stable text form of the attributes, naming one time series of the metric.</summary>
    public string SeriesKey { get; } = string.Join(", ", Attributes.Select(a => a.Key + "=" + a.Value));
}
