namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>
/// What a new row of <c>analysis.analyses</c> holds; the store numbers the version and encrypts the verdict.
/// <see cref="JobId"/> is the analysis job that made it, null for a rectification (no job makes one).
/// </summary>
public sealed record NewAnalysisVersion(
    long EventId,
    string ConversationId,
    AnalyzerResult Result,
    TimeSpan Latency,
    long? JobId,
    string Reason,
    string RequestedBy);
