namespace VoiceAnalytics.CrmService.Model;

/// <summary>Where a conversation's export stands: the export record joined with its latest job.</summary>
public sealed record ExportStatusView(
    string ConversationId,
    string State,
    int Attempts,
    string? LastError,
    Guid CrmRecordId,
    string Sink,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExportedAt,
    long? AnalysisId);
