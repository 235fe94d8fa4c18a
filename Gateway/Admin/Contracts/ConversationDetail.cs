namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>Everything held about one conversation, decrypted: events with transcripts, recordings, analyses, export, jobs.</summary>
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
}
