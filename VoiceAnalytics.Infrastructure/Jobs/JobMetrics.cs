using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The <c>VoiceAnalytics.Jobs</c> meter: jobs claimed, completed, retried, dead and snoozed, job duration,
/// and per-queue depth and oldest-due age (from the statistics each worker reads periodically). Every
/// measurement carries the <c>queue</c> tag; per-job ones also <c>kind</c>.
/// </summary>
internal sealed class JobMetrics : IDisposable
{
    public const string MeterName = "VoiceAnalytics.Jobs";

    private readonly Meter _meter = new(MeterName);
    private readonly ConcurrentDictionary<string, JobQueueStats> _stats = new();
    private readonly Counter<long> _claimed;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _dead;
    private readonly Counter<long> _snoozed;
    private readonly Histogram<double> _duration;

    public JobMetrics()
    {
        _claimed = _meter.CreateCounter<long>("jobs.claimed", "{job}", "Jobs claimed by a worker");
        _completed = _meter.CreateCounter<long>("jobs.completed", "{job}", "Jobs finished successfully");
        _retried = _meter.CreateCounter<long>("jobs.failed", "{job}", "Failed attempts that will be retried");
        _dead = _meter.CreateCounter<long>("jobs.dead", "{job}", "Jobs given up on");
        _snoozed = _meter.CreateCounter<long>("jobs.snoozed", "{job}", "Jobs put back without spending an attempt");
        _duration = _meter.CreateHistogram<double>("jobs.duration", "s", "Time a handler spent on a job");
        _meter.CreateObservableGauge("jobs.queue.depth", () => Observe(s => s.Queued), "{job}", "Queued jobs");
        _meter.CreateObservableGauge("jobs.queue.dead", () => Observe(s => s.Dead), "{job}", "Dead jobs");
        _meter.CreateObservableGauge("jobs.queue.oldest_age",
            () => Observe(s => s.OldestQueuedAge?.TotalSeconds ?? 0), "s", "How long the oldest due job has waited");
    }

    public void ReportStats(string queue, JobQueueStats stats) => _stats[queue] = stats;

    public void Claimed(string queue, string kind) => _claimed.Add(1, Tags(queue, kind));

    public void Finished(string queue, string kind, JobOutcome outcome, bool dead, TimeSpan duration)
    {
        var tags = Tags(queue, kind);
        _duration.Record(duration.TotalSeconds, tags);
        var counter = outcome switch
        {
            JobOutcome.Succeeded => _completed,
            JobOutcome.Snooze => _snoozed,
            _ when dead => _dead,
            _ => _retried,
        };
        counter.Add(1, tags);
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<T>> Observe<T>(Func<JobQueueStats, T> value) where T : struct =>
        _stats.Select(s => new Measurement<T>(value(s.Value), new KeyValuePair<string, object?>("queue", s.Key)));

    private static TagList Tags(string queue, string kind) => new() { { "queue", queue }, { "kind", kind } };
}
