namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>
/// One analysis version as the CRM exports it: the verdict decrypted (as stored JSON), the webhook's agent and
/// traceparent, and whether a newer analysis of the same event has superseded it.
/// </summary>
public sealed record StoredLead(
    long AnalysisId,
    long EventId,
    int Version,
    string ConversationId,
    string? AgentId,
    string? TraceParent,
    bool Superseded,
    string ResultJson);
