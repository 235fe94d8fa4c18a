using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// Settings of one queue, as its consumer runs it (attempts, backoff, lease), bound from configuration section <c>Jobs:&lt;queue&gt;</c> (e.g.
/// <c>Jobs__analysis__MaxAttempts=5</c>) and then from the <c>configure</c> callback of <c>AddJobQueue</c>.
/// </summary>
public sealed class JobQueueOptions
{
    /// <summary>How long a claim lasts without renewal; a crashed worker's job is taken again after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts a job gets before it is dead: the consumer's setting (producers stamp nothing on the job).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failure; doubles with every attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);
}
