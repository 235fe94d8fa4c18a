namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A handler's verdict on its job. An exception thrown by a handler counts as <see cref="Retry"/> with the
/// exception's type and message as the error, so messages must not contain personal data.
/// </summary>
/// <param name="Outcome">What to do with the job.</param>
/// <param name="Error">Why it failed (stored as <c>last_error</c>); null on success and snooze.</param>
/// <param name="Delay">For <see cref="JobOutcome.Snooze"/> how long to wait; for a retry, a delay that replaces the backoff (e.g. Retry-After).</param>
public sealed record JobResult(JobOutcome Outcome, string? Error = null, TimeSpan? Delay = null)
{
    /// <summary>The job succeeded.</summary>
    public static JobResult Succeeded { get; } = new(JobOutcome.Succeeded);

    /// <summary>A failed attempt, retried after the backoff (or after <paramref name="after"/>) until attempts are spent.</summary>
    public static JobResult Retry(string error, TimeSpan? after = null) => new(JobOutcome.Retry, error, after);

    /// <summary>A permanent failure: the job is dead with <paramref name="error"/>.</summary>
    public static JobResult Dead(string error) => new(JobOutcome.Dead, error);

    /// <summary>Run again after <paramref name="delay"/> without spending an attempt.</summary>
    public static JobResult Snooze(TimeSpan delay) => new(JobOutcome.Snooze, Delay: delay);
}
