namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>The provider answered 429; <see cref="RetryAfter"/> is how long it asked everyone to wait.</summary>
public sealed class ProviderRateLimitedException(TimeSpan retryAfter, Exception? inner = null)
    : Exception($"The LLM provider is rate limiting (HTTP 429); retry after {retryAfter.TotalMilliseconds:0} ms.", inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
