using System.ClientModel.Primitives;

namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>
/// The SDK's retry policy cut down: at most one quick retry for network errors and 5xx, none for 429. The
/// queue owns retries (with backoff and a dead state), and a 429 must reach the throttle, which pauses every
/// instance, instead of being retried here behind its back.
/// </summary>
public sealed class ProviderRetryPolicy() : ClientRetryPolicy(maxRetries: 1)
{
    protected override bool ShouldRetry(PipelineMessage message, Exception? exception) =>
        message.Response?.Status != 429 && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception) =>
        message.Response?.Status == 429 ? ValueTask.FromResult(false) : base.ShouldRetryAsync(message, exception);
}
