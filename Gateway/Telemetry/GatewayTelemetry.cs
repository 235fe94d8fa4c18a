using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VoiceAnalytics.Gateway.Telemetry;

/// <summary>
/// The gateway's span source and meter (<c>VoiceAnalytics.Gateway</c>, exported by the service defaults):
/// webhooks by outcome, rejections by reason, spooling and replay, and the time from first byte to a durable
/// acknowledgement.
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "VoiceAnalytics.Gateway";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _duplicate;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Histogram<double> _ingestDuration;

    public GatewayTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _accepted = _meter.CreateCounter<long>("gateway.webhooks.accepted", "{webhook}", "Webhooks stored in Postgres.");
        _duplicate = _meter.CreateCounter<long>("gateway.webhooks.duplicate", "{webhook}", "Webhooks whose (type, conversation_id) was already stored.");
        _rejected = _meter.CreateCounter<long>("gateway.webhooks.rejected", "{webhook}", "Webhooks refused, by reason.");
        _spooled = _meter.CreateCounter<long>("gateway.webhooks.spooled", "{webhook}", "Webhooks written to the outage spool.");
        _replayed = _meter.CreateCounter<long>("gateway.spool.replayed", "{webhook}", "Spooled webhooks committed to Postgres by the replayer.");
        _ingestDuration = _meter.CreateHistogram<double>("gateway.webhooks.ingest.duration", "s",
            "From the request's arrival to its durable acknowledgement.");
    }

    public void Accepted(string eventType) => _accepted.Add(1, new KeyValuePair<string, object?>("event.type", eventType));

    public void Duplicate(string eventType) => _duplicate.Add(1, new KeyValuePair<string, object?>("event.type", eventType));

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Spooled(int count) => _spooled.Add(count);

    public void Replayed(int count) => _replayed.Add(count);

    public void IngestDuration(TimeSpan elapsed, string outcome) =>
        _ingestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
