namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Exponential backoff with jitter, so that jobs failing together do not retry together.</summary>
public static class JobBackoff
{
    /// <summary>
    /// The delay before retrying after failed attempt number <paramref name="attempt"/> (1-based):
    /// <c>min(max, base · 2^(attempt−1))</c>, of which a random half is kept ("equal jitter"), so the delay
    /// lies between half and all of the exponential value.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var capped = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = (random ?? Random.Shared).NextDouble();
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * jitter);
    }
}
