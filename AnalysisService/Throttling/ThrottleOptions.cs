using System.ComponentModel.DataAnnotations;
using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// The global LLM budget: section <c>Analysis:Throttle</c>, or the flat names in <see cref="FlatVariables"/>. It
/// holds across every instance of the service because it lives in Postgres (<c>analysis.throttle</c>).
/// </summary>
public sealed class ThrottleOptions
{
    public const string Section = "Analysis:Throttle";

    /// <summary>The flat environment names existing deployments set, and the key each one sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } =
    [
        new("ANALYZE_MAX_CONCURRENCY", "Analysis:Throttle:MaxConcurrency", FlatValueKind.Number),
        new("ANALYZE_MIN_MS", "Analysis:Throttle:MinSpacing", FlatValueKind.Milliseconds),
        new("ANALYZE_REQUESTS_PER_MINUTE", "Analysis:Throttle:RequestsPerMinute", FlatValueKind.Number),
        new("ANALYZE_TOKENS_PER_MINUTE", "Analysis:Throttle:TokensPerMinute", FlatValueKind.Number),
        new("ANALYZE_THROTTLE_LEASE_MS", "Analysis:Throttle:Lease", FlatValueKind.Milliseconds),
        new("ANALYZE_THROTTLE_POLL_MS", "Analysis:Throttle:PollInterval", FlatValueKind.Milliseconds),
    ];

    /// <summary>Calls in flight at once, across all instances.</summary>
    [Range(1, 1000, ErrorMessage = "ANALYZE_MAX_CONCURRENCY (Analysis:Throttle:MaxConcurrency) must be between 1 and 1000.")]
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Minimum time between two call starts, across all instances.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "ANALYZE_MIN_MS (Analysis:Throttle:MinSpacing) must be between 0 and 1 hour.")]
    public TimeSpan MinSpacing { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Optional requests per minute (0: no budget).</summary>
    [Range(0, 1_000_000, ErrorMessage = "ANALYZE_REQUESTS_PER_MINUTE (Analysis:Throttle:RequestsPerMinute) must be between 0 and 1000000.")]
    public int RequestsPerMinute { get; set; }

    /// <summary>Optional tokens per minute (0: no budget); a call is counted with its estimate, then corrected.</summary>
    [Range(0, 100_000_000, ErrorMessage = "ANALYZE_TOKENS_PER_MINUTE (Analysis:Throttle:TokensPerMinute) must be between 0 and 100000000.")]
    public int TokensPerMinute { get; set; }

    /// <summary>How long a start slot is held if its holder dies without releasing it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "ANALYZE_THROTTLE_LEASE_MS (Analysis:Throttle:Lease) must be between 1 second and 1 hour.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a caller waiting for a free slot held by another instance looks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.005", "00:00:10", ErrorMessage = "ANALYZE_THROTTLE_POLL_MS (Analysis:Throttle:PollInterval) must be between 5 ms and 10 seconds.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}
