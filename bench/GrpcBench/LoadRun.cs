using System.Diagnostics;

namespace VoiceAnalytics.Bench.Grpc;

/// <summary>Closed-loop load: N callers, each sending its next call when the previous one returns.</summary>
public static class LoadRun
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string BenchDir => Path.Combine(RepoRoot, "bench", "GrpcBench");

    public static async Task<Summary> RunAsync(int callers, TimeSpan duration, Func<Task> call)
    {
        var latencies = new List<double>[callers];
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, callers).Select(async i =>
        {
            var mine = latencies[i] = new List<double>(100_000);
            while (stopwatch.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Summary(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VoiceAnalytics.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    public sealed record Summary(double CallsPerSecond, double P50Ms, double P99Ms, int Calls)
    {
        public override string ToString() => $"{CallsPerSecond,8:F0} calls/s  p50 {P50Ms:F3} ms  p99 {P99Ms:F3} ms  ({Calls} calls)";
    }
}
