namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Percentiles estimated from explicit-bucket histograms, interpolating inside the bucket.</summary>
public static class HistogramMath
{
    public static double? Percentile(IReadOnlyList<double> bounds, IReadOnlyList<long> counts, double percentile,
        double? min = null, double? max = null)
    {
        var total = counts.Sum();
        if (total == 0 || counts.Count != bounds.Count + 1)
        {
            return null;
        }
        var rank = percentile / 100 * total;
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            if (counts[i] == 0 || seen + counts[i] < rank)
            {
                seen += counts[i];
                continue;
            }
            var lower = i == 0 ? min ?? Math.Min(0, bounds[0]) : bounds[i - 1];
            var upper = i < bounds.Count ? bounds[i] : max ?? bounds[^1];
            var estimate = lower + (upper - lower) * ((rank - seen) / counts[i]);
            return Math.Clamp(estimate, min ?? double.MinValue, max ?? double.MaxValue);
        }
        return max;
    }
}
