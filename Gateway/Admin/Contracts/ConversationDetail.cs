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
    IReadOnlyList<StoredJob> Jobs);
