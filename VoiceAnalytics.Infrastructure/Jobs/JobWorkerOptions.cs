using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Settings of a queue's worker, bound from <c>Jobs:&lt;queue&gt;</c> and then from <c>AddWorker</c>'s callback.</summary>
public sealed class JobWorkerOptions
{
    /// <summary>Claim loops in this process, i.e. jobs handled at once.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 1;

    /// <summary>The safety net: idle loops look for work at least this often even if no wake-up arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often queue statistics are read for the depth metrics.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(15);
}
