namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// Everything held about one conversation, decrypted: the gateway's events, transcripts and recordings, the
/// analysis service's versions and the CRM service's export (asked from their owners), and the shared queue's jobs.
/// </summary>
public sealed record ConversationDetail(
    string ConversationId,
    string? AgentId,
    string? TraceId,
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<StoredRecording> Recordings,
    IReadOnlyList<StoredAnalysis> Analyses,
    StoredExport? Export,
    IReadOnlyList<StoredJob> Jobs)
{
    /// <summary>
    /// The conversation's trace in the Aspire dashboard (<c>{Dashboard:Url}/traces/detail/{TraceId}</c>); null when
    /// there is no trace id or no dashboard is configured (the AppHost sets <c>Dashboard__Url</c>).
    /// </summary>
    public string? TraceUrl { get; init; }

    /// <summary>
    /// The owners that did not answer ("analysis", "crm"): their part is missing from this view, not empty.
    /// </summary>
    public IReadOnlyList<string> Unavailable { get; init; } = [];
}
