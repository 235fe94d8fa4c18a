namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// What happened, to be appended to the trail. <paramref name="Details"/> holds ids, counts and field names,
/// never personal data (no phone, name or transcript text): the trail outlives erasures.
/// </summary>
public sealed record AuditEntry(
    string Actor,
    string Role,
    string Action,
    string? Target = null,
    string? ConversationId = null,
    string? SourceIp = null,
    string? TraceId = null,
    IReadOnlyDictionary<string, string?>? Details = null);
