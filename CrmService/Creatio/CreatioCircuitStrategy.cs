using Polly;
using Polly.CircuitBreaker;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// <see cref="CreatioCircuit"/> as a Polly strategy: a refused call ends in <see cref="BrokenCircuitException"/>
/// with its <c>RetryAfter</c>; an entered call's outcome is its verdict (a result that is not a success, or any
/// exception, is a failure; a cancellation by the caller is none).
/// </summary>
internal sealed class CreatioCircuitStrategy(CreatioCircuit circuit) : ResilienceStrategy<CreatioResult>
{
    public const string OpenMessage = "CRM circuit breaker is open";

    protected override async ValueTask<Outcome<CreatioResult>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<CreatioResult>>> callback, ResilienceContext context, TState state)
    {
        if (!circuit.TryEnter(out var permit, out var retryAfter))
        {
            return Outcome.FromException<CreatioResult>(new BrokenCircuitException(OpenMessage, retryAfter));
        }
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        circuit.Exit(permit, outcome switch
        {
            { Exception: OperationCanceledException } when context.CancellationToken.IsCancellationRequested => null,
            { Exception: not null } => false,
            { Result: var result } => result?.Success == true,
        });
        return outcome;
    }
}
