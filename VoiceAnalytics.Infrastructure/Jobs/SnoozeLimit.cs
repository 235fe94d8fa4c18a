namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A snooze spends no attempt, so a cause that does not go away (a CRM down for days, a provider quota that
/// stays exhausted) would put a job back forever. Once the job is older than its consumer's limit (counted from
/// when it was first enqueued), a snooze becomes a failed attempt instead: the queue's attempts and backoff then
/// bound it (it backs off as after any failure), and it ends dead, where an operator can retry it.
/// </summary>
public static class SnoozeLimit
{
    public static JobResult SnoozeOrRetry(ClaimedJob job, TimeSpan delay, TimeSpan limit, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(job);
        return now - job.CreatedAt < limit
            ? JobResult.Snooze(delay < TimeSpan.Zero ? TimeSpan.Zero : delay)
            : JobResult.Retry($"{reason} (past the snooze limit of {limit})");
    }
}
