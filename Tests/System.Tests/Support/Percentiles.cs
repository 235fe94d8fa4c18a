namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Nearest-rank percentiles of a sample, in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
