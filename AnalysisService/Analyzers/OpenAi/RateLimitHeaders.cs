using System.Globalization;
using System.Text.RegularExpressions;

namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>
/// How long a 429 asks us to wait: <c>retry-after-ms</c>, else <c>Retry-After</c> (seconds or an HTTP date),
/// else the later of OpenAI's <c>x-ratelimit-reset-requests</c> / <c>x-ratelimit-reset-tokens</c> ("1s",
/// "6m0s", "250ms"). Bounded, so a strange header cannot stop analysis for hours.
/// </summary>
public static partial class RateLimitHeaders
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(10);

    public static TimeSpan RetryAfter(Func<string, string?> header, DateTimeOffset now)
    {
        TimeSpan? wait = null;
        if (header("retry-after-ms") is { } ms && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            wait = TimeSpan.FromMilliseconds(milliseconds);
        }
        else if (header("Retry-After") is { } retryAfter)
        {
            if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                wait = TimeSpan.FromSeconds(seconds);
            }
            else if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                wait = at - now;
            }
        }
        else
        {
            var resets = new[] { header("x-ratelimit-reset-requests"), header("x-ratelimit-reset-tokens") }
                .Select(ParseDuration).Where(d => d is not null).Select(d => d!.Value).ToList();
            if (resets.Count > 0)
            {
                wait = resets.Max();
            }
        }
        var result = wait ?? Default;
        return result < TimeSpan.Zero ? TimeSpan.Zero : result > Max ? Max : result;
    }

    /// <summary>Go-style durations as OpenAI sends them: "1h2m3.5s", "6m0s", "20ms", "0.5s".</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var matches = DurationPart().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return null;
        }
        var total = TimeSpan.Zero;
        foreach (Match part in matches)
        {
            var value = double.Parse(part.Groups["value"].Value, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                _ => TimeSpan.Zero,
            };
        }
        return total;
    }

    [GeneratedRegex(@"(?<value>\d+(\.\d+)?)(?<unit>ms|h|m|s)")]
    private static partial Regex DurationPart();
}
