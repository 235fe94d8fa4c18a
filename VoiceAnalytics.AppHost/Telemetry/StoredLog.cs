namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// One structured log record. <see cref="Category"/> is the logger category (the OTLP scope name);
/// <see cref="ConversationId"/> comes from the <c>conversation.id</c> attribute, which the services' log
/// scopes put on every record of a conversation.
/// </summary>
public sealed record StoredLog(
    long Sequence,
    DateTimeOffset Time,
    string ServiceName,
    string Level,
    int SeverityNumber,
    string Message,
    string Category,
    IReadOnlyList<TelemetryAttribute> Attributes,
    string? TraceId,
    string? SpanId,
    string? ConversationId);
