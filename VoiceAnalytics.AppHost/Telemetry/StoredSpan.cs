namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// One received span. Ids are lower-case hex as in W3C traceparent; <see cref="ConversationId"/> is the
/// <c>conversation.id</c> attribute lifted out so conversation search does not parse attributes again.
/// </summary>
public sealed record StoredSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string ServiceName,
    string Scope,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Status,
    string? StatusMessage,
    IReadOnlyList<TelemetryAttribute> Attributes,
    IReadOnlyList<StoredSpanEvent> Events,
    string? ConversationId)
{
    public double DurationMs => Math.Max(0, (End - Start).TotalMilliseconds);

    public bool IsError => Status == SpanStatus.Error;
}
