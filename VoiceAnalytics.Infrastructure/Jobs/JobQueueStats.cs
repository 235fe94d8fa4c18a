namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>A snapshot of one queue.</summary>
/// <param name="Queued">Jobs waiting (including those scheduled for later).</param>
/// <param name="Running">Jobs claimed by a worker.</param>
/// <param name="Done">Jobs finished.</param>
/// <param name="Dead">Jobs given up on.</param>
/// <param name="OldestQueuedAge">How long the longest-waiting due job has waited since its <c>run_at</c>; null when none is due.</param>
public sealed record JobQueueStats(long Queued, long Running, long Done, long Dead, TimeSpan? OldestQueuedAge);
