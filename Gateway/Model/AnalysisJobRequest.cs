namespace VoiceAnalytics.Gateway.Model;

/// <summary>An analysis job for a newly stored transcription event, enqueued in the event's own transaction.</summary>
public sealed record AnalysisJobRequest(long EventId, string ConversationId, string? TraceParent);
