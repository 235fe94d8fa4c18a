using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// The Polly pipeline around one export's call to Creatio, outermost first: the circuit breaker (one verdict per
/// export, after its quick retries), quick retries of transient failures (CRM_MAX_RETRIES, linear delay with
/// jitter), and a timeout per request (CRM_TIMEOUT_MS). One export therefore sends at most
/// 1 + CRM_MAX_RETRIES requests; docs/retries.md shows how that multiplies with the queue's attempts.
/// </summary>
public sealed partial class CreatioPipeline(IOptions<CrmOptions> options, CreatioCircuit circuit, TimeProvider time, ILogger<CreatioPipeline> logger)
{
    public ResiliencePipeline<CreatioResult> Pipeline { get; } = Build(options.Value, circuit, time, logger);

    private static ResiliencePipeline<CreatioResult> Build(CrmOptions settings, CreatioCircuit circuit, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<CreatioResult> { Name = "creatio", TimeProvider = time };
        builder.AddStrategy(_ => new CreatioCircuitStrategy(circuit));
        if (settings.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<CreatioResult>
            {
                MaxRetryAttempts = settings.MaxRetries,
                Delay = settings.QuickRetryDelay,
                BackoffType = DelayBackoffType.Linear,
                UseJitter = true,
                // A definite answer (a non-zero resultCode) is not retried: the same body would get the same answer.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutRejectedException
                    || args.Outcome.Result is { Success: false, Transient: true }),
                OnRetry = args =>
                {
                    LogQuickRetry(logger, args.AttemptNumber + 1, settings.MaxRetries, args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Result?.Message ?? args.Outcome.Exception?.GetType().Name ?? "failed");
                    return default;
                },
            });
        }
        builder.AddTimeout(settings.Timeout);
        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "CRM call failed, quick retry {Retry} of {MaxRetries} in {DelayMs:F0} ms: {Reason}")]
    private static partial void LogQuickRetry(ILogger logger, int retry, int maxRetries, double delayMs, string reason);
}
