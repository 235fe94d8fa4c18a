using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>How the gateway asks the owners of the data to erase it (configuration section <c>Erasure</c>).</summary>
public sealed class ErasureOptions
{
    public const string Section = "Erasure";

    /// <summary>How long one owner's erase call may take; an admin request answers 202 when an owner takes longer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan OwnerTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay; each further retry waits twice as long, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the worker looks for pending erasures that are due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While one gateway asks the owners, others leave the request alone this long (then it counts as abandoned:
    /// the owners' erase is idempotent, so a second caller is harmless, only wasteful).
    /// </summary>
    public TimeSpan Lease => OwnerTimeout * 2 + TimeSpan.FromSeconds(5);
}
