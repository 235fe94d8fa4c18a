using System.Diagnostics;
using System.Diagnostics.Metrics;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// Meter <c>VoiceAnalytics.Crm</c>: export outcomes by result, export latency, and the breaker's state
/// (0 closed, 1 half-open, 2 open) as a gauge.
/// </summary>
public sealed class CrmMetrics
{
    public const string MeterName = "VoiceAnalytics.Crm";

    private readonly Counter<long> _outcomes;
    private readonly Histogram<double> _duration;

    public CrmMetrics(IMeterFactory meters, CreatioCircuit breaker)
    {
        var meter = meters.Create(MeterName);
        _outcomes = meter.CreateCounter<long>("crm.export.outcomes", "{export}", "CRM export attempts by result");
        _duration = meter.CreateHistogram<double>("crm.export.duration", "s", "Time of one export attempt, all sinks");
        meter.CreateObservableGauge("crm.circuit.state", () => (int)breaker.Snapshot().State, "{state}",
            "CRM circuit breaker: 0 closed, 1 half-open, 2 open");
        meter.CreateObservableGauge("crm.circuit.consecutive_failures", () => breaker.Snapshot().ConsecutiveFailures, "{failure}",
            "Consecutive failed CRM calls");
    }

    public void Record(ExportOutcome outcome, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "result", outcome.Status switch { ExportStatus.Exported => "exported", ExportStatus.CircuitOpen => "circuit_open", _ => "failed" } },
            { "sink", outcome.Sink },
        };
        _outcomes.Add(1, tags);
        if (outcome.Status != ExportStatus.CircuitOpen)
        {
            _duration.Record(elapsed.TotalSeconds, tags);
        }
    }

    /// <summary>An export given up for good: its last attempt failed, or it can never succeed.</summary>
    public void RecordDead() => _outcomes.Add(1, new KeyValuePair<string, object?>("result", "dead"));
}
