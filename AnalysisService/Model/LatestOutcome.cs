namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>The non-personal fields of a conversation's latest analysis version.</summary>
public sealed record LatestOutcome(string ConversationId, int Version, string? Outcome, string? Topic);
