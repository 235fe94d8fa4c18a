using Microsoft.Extensions.Options;

namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// The dashboard's in-memory telemetry: three bounded rings (spans, logs, metric points), oldest dropped
/// first. Writers are the OTLP endpoints; readers take a snapshot under the lock and query it outside, so a
/// slow page never holds up ingestion for longer than an array copy.
/// </summary>
public sealed class TelemetryStore(IOptions<TelemetryLimits> options)
{
    private readonly Lock _lock = new();
    private readonly BoundedBuffer<StoredSpan> _spans = new(options.Value.MaxSpans);
    private readonly BoundedBuffer<StoredLog> _logs = new(options.Value.MaxLogs);
    private readonly BoundedBuffer<StoredMetricPoint> _points = new(options.Value.MaxMetricPoints);
    private long _logSequence;

    public TelemetryLimits Limits { get; } = options.Value;

    public void AddSpans(IEnumerable<StoredSpan> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                _spans.Add(span);
            }
        }
    }

    /// <summary>Adds log records, numbering them in arrival order (the sequence the UI pages by).</summary>
    public void AddLogs(IEnumerable<StoredLog> logs)
    {
        lock (_lock)
        {
            foreach (var log in logs)
            {
                _logs.Add(log with { Sequence = ++_logSequence });
            }
        }
    }

    public void AddMetricPoints(IEnumerable<StoredMetricPoint> points)
    {
        lock (_lock)
        {
            foreach (var point in points)
            {
                _points.Add(point);
            }
        }
    }

    /// <summary>Spans, oldest first.</summary>
    public StoredSpan[] Spans()
    {
        lock (_lock)
        {
            return [.. _spans.OldestFirst()];
        }
    }

    /// <summary>Logs, oldest first.</summary>
    public StoredLog[] Logs()
    {
        lock (_lock)
        {
            return [.. _logs.OldestFirst()];
        }
    }

    /// <summary>Metric points, oldest first.</summary>
    public StoredMetricPoint[] MetricPoints()
    {
        lock (_lock)
        {
            return [.. _points.OldestFirst()];
        }
    }

    public TelemetryCounts Counts()
    {
        lock (_lock)
        {
            return new(_spans.Count, _logs.Count, _points.Count, _spans.Dropped, _logs.Dropped, _points.Dropped);
        }
    }
}
