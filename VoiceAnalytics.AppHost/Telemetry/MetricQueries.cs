namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Metric reads: the latest value of every series, and one metric's history for a chart.</summary>
public static class MetricQueries
{
    /// <summary>Every metric (optionally of one resource and/or whose name contains a text) with its latest values.</summary>
    public static IReadOnlyList<MetricSummary> ListMetrics(this TelemetryStore store, string? service = null, string? nameContains = null)
    {
        var latest = new Dictionary<(string Service, string Name, string Series), StoredMetricPoint>();
        foreach (var point in store.MetricPoints())
        {
            if ((service is null || point.ServiceName.Equals(service, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(nameContains) || point.Name.Contains(nameContains, StringComparison.OrdinalIgnoreCase)))
            {
                latest[(point.ServiceName, point.Name, point.SeriesKey)] = point;
            }
        }
        return [.. latest.Values
            .GroupBy(p => (p.ServiceName, p.Name))
            .Select(g =>
            {
                var first = g.First();
                return new MetricSummary(first.ServiceName, first.Name, first.Description, first.Unit, first.Type,
                    [.. g.OrderBy(p => p.SeriesKey, StringComparer.Ordinal).Select(ToValue)]);
            })
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(m => m.ServiceName, StringComparer.Ordinal)];
    }

    /// <summary>The stored history of one metric of one resource, oldest first, at most <paramref name="maxPerSeries"/> per series.</summary>
    public static IReadOnlyList<MetricSample> MetricHistory(this TelemetryStore store, string service, string name, int maxPerSeries = 120) =>
        [.. store.MetricPoints()
            .Where(p => p.Name == name && p.ServiceName.Equals(service, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.SeriesKey)
            .SelectMany(g => g.TakeLast(maxPerSeries))
            .Select(p => new MetricSample(p.SeriesKey, p.Time, ChartValue(p)))];

    private static double ChartValue(StoredMetricPoint p) =>
        p.Type is MetricTypes.Histogram or MetricTypes.Summary ? (p.Count > 0 ? p.Value / p.Count : 0) : p.Value;

    private static MetricSeriesValue ToValue(StoredMetricPoint p)
    {
        var isDistribution = p.Type is MetricTypes.Histogram or MetricTypes.Summary;
        return new MetricSeriesValue(
            p.SeriesKey,
            p.Attributes,
            p.Time,
            p.Value,
            p.Count,
            isDistribution && p.Count > 0 ? p.Value / p.Count : null,
            isDistribution ? HistogramMath.Percentile(p.BucketBounds, p.BucketCounts, 50, p.Min, p.Max) : null,
            isDistribution ? HistogramMath.Percentile(p.BucketBounds, p.BucketCounts, 95, p.Min, p.Max) : null,
            p.Min,
            p.Max);
    }
}
