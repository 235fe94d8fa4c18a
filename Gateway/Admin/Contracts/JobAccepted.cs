namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A re-analysis or re-export was queued.</summary>
public sealed record JobAccepted(string ConversationId, long JobId);
