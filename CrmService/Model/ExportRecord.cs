namespace VoiceAnalytics.CrmService.Model;

/// <summary>A row of <c>crm.exports</c>: where a conversation's lead export stands.</summary>
public sealed record ExportRecord(
    string ConversationId,
    long AnalysisId,
    string State,
    int Attempts,
    string? LastError,
    Guid CrmRecordId,
    string Sink,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExportedAt);
