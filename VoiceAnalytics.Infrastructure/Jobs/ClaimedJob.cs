namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A job a worker has claimed. <see cref="LeaseToken"/> identifies this one claim: completing, failing,
/// snoozing or renewing the job only works while the job is still running under this token, so a worker
/// whose lease expired and was retaken by another cannot finish it a second time.
/// </summary>
/// <param name="Id">The job's row id.</param>
/// <param name="Kind">What to do, e.g. <c>analyze</c> or <c>export</c>.</param>
/// <param name="Key">What to do it to: the conversation id.</param>
/// <param name="PayloadJson">The job's JSON payload, e.g. <c>{"event_id": 42}</c>.</param>
/// <param name="Attempt">This attempt's number, starting at 1 (snoozes do not count).</param>
/// <param name="MaxAttempts">After this many failed attempts the job is dead.</param>
/// <param name="TraceParent">The W3C traceparent stored at enqueue time, to continue that trace.</param>
/// <param name="LeaseToken">This claim's identity (worker and a random part).</param>
/// <param name="CreatedAt">When the job was first enqueued.</param>
public sealed record ClaimedJob(
    long Id,
    string Kind,
    string Key,
    string PayloadJson,
    int Attempt,
    int MaxAttempts,
    string? TraceParent,
    string LeaseToken,
    DateTimeOffset CreatedAt)
{
    /// <summary>True when a failure of this attempt makes the job dead.</summary>
    public bool IsLastAttempt => Attempt >= MaxAttempts;
}
