namespace VoiceAnalytics.CrmService.Model;

/// <summary>One try at delivering a lead, as recorded when it ended (<c>crm.export_attempts</c>).</summary>
public sealed record ExportAttemptRecord(
    long Id,
    string ConversationId,
    long AnalysisId,
    int AnalysisVersion,
    Guid CrmRecordId,
    string Sink,
    string Outcome,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    string RequestedBy)
{
    public const string Exported = "exported";
    public const string Retrying = "retrying";
    public const string Dead = "dead";
    public const string Skipped = "skipped";

    /// <summary>Who asks for an export nobody asked for by name: the pipeline itself.</summary>
    public const string Pipeline = "system:pipeline";

    /// <summary>Longest error summary kept; the CRM's answers are summarised, never quoted at length.</summary>
    public const int MaxErrorLength = 500;
}
