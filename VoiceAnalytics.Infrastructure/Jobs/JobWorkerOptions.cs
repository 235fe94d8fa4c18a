using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Settings of a queue's worker, bound from <c>Jobs:&lt;queue&gt;</c> and then from <c>AddWorker</c>'s callback.</summary>
public sealed class JobWorkerOptions
{
    /// <summary>Claim loops in this process, i.e. jobs handled at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// Jobs one claim loop takes per round trip. A handler that takes batches (<see cref="IBatchJobHandler"/>) gets them
    /// in one call; otherwise they run one after another. More than one saves a round trip and a commit per job where
    /// jobs are short (offline analysis, the Markdown mirror); keep 1 where a job waits on a slow provider, or the jobs
    /// held behind it wait too while other loops or replicas could run them.
    /// </summary>
    [Range(1, 100)]
    public int ClaimBatch { get; set; } = 1;

    /// <summary>The safety net: idle loops look for work at least this often even if no wake-up arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often queue statistics are read for the depth metrics.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(15);
}
