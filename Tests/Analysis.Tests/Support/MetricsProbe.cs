using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using VoiceAnalytics.AnalysisService;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>
/// Listens to the <c>VoiceAnalytics.Analysis</c> meter of every host in this process and keeps the
/// measurements per instrument and per host (a host's meters are scoped to its own IMeterFactory).
/// </summary>
public sealed class MetricsProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(object? Scope, string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == AnalysisMetrics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Measurements of <paramref name="instrument"/> recorded by the host whose meter factory is <paramref name="scope"/> (any host when null).</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Of(string instrument, object? scope = null) =>
        [.. _measurements.Where(m => m.Instrument == instrument && (scope is null || ReferenceEquals(m.Scope, scope))).Select(m => (m.Value, m.Tags))];

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Meter.Scope, instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    public void Dispose() => _listener.Dispose();
}
