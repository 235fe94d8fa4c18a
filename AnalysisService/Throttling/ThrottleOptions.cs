using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// The global LLM budget (the seed's Bottleneck), bound from the seed's flat variables. It holds across every
/// instance of the service because it lives in Postgres (<c>analysis.throttle</c>).
/// </summary>
public sealed class ThrottleOptions
{
    /// <summary>Calls in flight at once, across all instances.</summary>
    [ConfigurationKeyName("ANALYZE_MAX_CONCURRENCY"), Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Minimum time between two call starts, across all instances.</summary>
    [ConfigurationKeyName("ANALYZE_MIN_MS"), Range(0, 3_600_000)]
    public int MinSpacingMs { get; set; } = 1500;

    /// <summary>Optional requests per minute (0: no budget).</summary>
    [ConfigurationKeyName("ANALYZE_REQUESTS_PER_MINUTE"), Range(0, 1_000_000)]
    public int RequestsPerMinute { get; set; }

    /// <summary>Optional tokens per minute (0: no budget); a call is counted with its estimate, then corrected.</summary>
    [ConfigurationKeyName("ANALYZE_TOKENS_PER_MINUTE"), Range(0, 100_000_000)]
    public int TokensPerMinute { get; set; }

    /// <summary>How long a start slot is held if its holder dies without releasing it.</summary>
    [ConfigurationKeyName("ANALYZE_THROTTLE_LEASE_MS"), Range(1000, 3_600_000)]
    public int LeaseMs { get; set; } = 180_000;

    /// <summary>How often a caller waiting for a free slot held by another instance looks again.</summary>
    [ConfigurationKeyName("ANALYZE_THROTTLE_POLL_MS"), Range(5, 10_000)]
    public int PollMs { get; set; } = 50;
}
