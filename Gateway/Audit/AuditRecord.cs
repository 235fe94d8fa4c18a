namespace VoiceAnalytics.Gateway.Audit;

/// <summary>One stored audit record, as hashed: <see cref="Details"/> is the canonical JSON text.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset OccurredAt,
    string Actor,
    string Role,
    string Action,
    string? Target,
    string? ConversationId,
    string? SourceIp,
    string? TraceId,
    string Details,
    string PrevHash,
    string Hash);
