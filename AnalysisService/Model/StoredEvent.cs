namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>A row of <c>ingest.webhook_events</c> (the gateway's table).</summary>
public sealed record StoredEvent(long Id, string EventType, string ConversationId, string PayloadJson, string? TraceParent);
