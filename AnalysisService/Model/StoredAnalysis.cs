namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>A row of <c>analysis.analyses</c>.</summary>
public sealed record StoredAnalysis(
    long Id,
    long EventId,
    string ConversationId,
    int Version,
    string Model,
    string PromptVersion,
    Verdict Verdict,
    int InputTokens,
    int OutputTokens,
    decimal CostUsd,
    double LatencyMs,
    DateTimeOffset CreatedAt,
    string? Reason,
    string? RequestedBy);
