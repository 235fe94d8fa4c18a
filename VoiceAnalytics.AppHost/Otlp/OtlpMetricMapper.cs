using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Metrics.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Metrics.V1;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>
/// Maps an OTLP metrics export onto stored points: one per data point. Exponential histograms and summaries
/// keep count and sum (enough for an average); explicit-bucket histograms keep their buckets too.
/// </summary>
public sealed class OtlpMetricMapper(OtlpValues values)
{
    private const int MaxBuckets = 64;

    public List<StoredMetricPoint> Map(ExportMetricsServiceRequest request)
    {
        var points = new List<StoredMetricPoint>();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var service = OtlpValues.ServiceName(resourceMetrics.Resource);
            foreach (var metric in resourceMetrics.ScopeMetrics.SelectMany(s => s.Metrics))
            {
                points.AddRange(MapMetric(service, metric));
            }
        }
        return points;
    }

    private IEnumerable<StoredMetricPoint> MapMetric(string service, Metric metric)
    {
        StoredMetricPoint Point(string type, ulong time, Google.Protobuf.Collections.RepeatedField<Proto.Common.V1.KeyValue> attributes,
            double value, long count = 0, double? min = null, double? max = null,
            IReadOnlyList<double>? bounds = null, IReadOnlyList<long>? counts = null) =>
            new(service, values.Truncate(metric.Name), values.Truncate(metric.Description), metric.Unit, type,
                OtlpValues.Time(time), values.Attributes(attributes), value, count, min, max, bounds ?? [], counts ?? []);

        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                return metric.Gauge.DataPoints.Select(p => Point(MetricTypes.Gauge, p.TimeUnixNano, p.Attributes, Number(p)));
            case Metric.DataOneofCase.Sum:
                var type = metric.Sum.IsMonotonic ? MetricTypes.Counter : MetricTypes.UpDownCounter;
                return metric.Sum.DataPoints.Select(p => Point(type, p.TimeUnixNano, p.Attributes, Number(p)));
            case Metric.DataOneofCase.Histogram:
                return metric.Histogram.DataPoints.Select(p => Point(MetricTypes.Histogram, p.TimeUnixNano, p.Attributes,
                    p.HasSum ? p.Sum : 0, (long)p.Count, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null,
                    p.BucketCounts.Count <= MaxBuckets + 1 ? [.. p.ExplicitBounds] : null,
                    p.BucketCounts.Count <= MaxBuckets + 1 ? [.. p.BucketCounts.Select(c => (long)c)] : null));
            case Metric.DataOneofCase.ExponentialHistogram:
                return metric.ExponentialHistogram.DataPoints.Select(p => Point(MetricTypes.Histogram, p.TimeUnixNano,
                    p.Attributes, p.HasSum ? p.Sum : 0, (long)p.Count, p.HasMin ? p.Min : null, p.HasMax ? p.Max : null));
            case Metric.DataOneofCase.Summary:
                return metric.Summary.DataPoints.Select(p => Point(MetricTypes.Summary, p.TimeUnixNano, p.Attributes, p.Sum, (long)p.Count));
            default:
                return [];
        }
    }

    private static double Number(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;
}
