using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>Turns a transcript into a validated verdict: the LLM, or the offline rules when no key is set.</summary>
public interface IAnalyzer
{
    /// <summary>Whether calls go to a rate-limited provider (and so through the throttle).</summary>
    bool UsesProvider { get; }

    /// <summary>Tokens a call is expected to use, counted against the tokens-per-minute budget before it starts.</summary>
    int EstimateTokens(ConversationTranscript transcript);

    /// <exception cref="InvalidVerdictException">The answer did not pass <see cref="VerdictValidator"/>.</exception>
    /// <exception cref="ProviderRateLimitedException">The provider answered 429.</exception>
    Task<AnalyzerResult> AnalyzeAsync(ConversationTranscript transcript, CancellationToken cancellationToken);
}
