using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Jobs;

/// <summary>The worker with a handler that takes a claimed batch at once (<see cref="IBatchJobHandler"/>).</summary>
public sealed class JobWorkerBatchTests
{
    [Fact]
    public async Task TheWholeClaimGoesToTheHandlerInOneCallAndItsJobsCommitInOneTransaction()
    {
        await using var db = await ResultsDatabaseAsync();
        var ids = await EnqueueAsync(db, "{}", "{}", "{}", "{}");

        using var host = await StartAsync(db, claimBatch: 4);
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 4);

        Assert.Equal(ids, Assert.Single(host.Probe().Batches));
        Assert.Empty(host.Probe().Alone);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE state = 'done' AND attempts = 1"));
        // The results and the completions of all four were committed by one transaction.
        Assert.Equal(1L, await db.ScalarAsync<long>("""
            SELECT count(DISTINCT x) FROM (SELECT xmin::text AS x FROM jobs.jobs UNION ALL SELECT xmin::text FROM public.results) AS rows
            """));
        await host.StopAsync();
    }

    [Fact]
    public async Task EachVerdictOfABatchIsAppliedToItsJob()
    {
        await using var db = await ResultsDatabaseAsync();
        var ids = await EnqueueAsync(db, "{}", """{"mode": "dead"}""", """{"mode": "snooze"}""", """{"mode": "retry"}""", """{"mode": "noop"}""");

        using var host = await StartAsync(db, claimBatch: 5, q => q.RetryBaseDelay = TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => !host.Probe().Batches.IsEmpty);
        await Eventually.TrueAsync(() => db.Queue.GetStatsAsync().GetAwaiter().GetResult().Running == 0);

        Assert.Equal("done|1|", await StateOf(db, ids[0]));
        Assert.Equal("dead|1|input is unusable", await StateOf(db, ids[1]));
        Assert.Equal("queued|0|", await StateOf(db, ids[2]));
        Assert.Equal("queued|1|try again", await StateOf(db, ids[3]));
        // Succeeded without completing it: the worker completes it.
        Assert.Equal("done|1|", await StateOf(db, ids[4]));
        Assert.Empty(host.Probe().Alone);
        await host.StopAsync();
    }

    [Fact]
    public async Task EachJobOfABatchHasItsOwnSpanInItsTraceAndTheBatchSpanLinksThem()
    {
        await using var db = await ResultsDatabaseAsync();
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "VoiceAnalytics.Jobs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        string[] traces = ["0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736", "5cf92f3577b34da6a3ce929d0e0e4737"];
        for (var i = 0; i < traces.Length; i++)
        {
            await db.Queue.EnqueueAsync("analyze", $"conv-{i}", "{}", $"00-{traces[i]}-b7ad6b7169203331-01");
        }

        using var host = await StartAsync(db, claimBatch: 3);
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 3);
        await host.StopAsync();

        Assert.Equal(traces.Select((t, i) => ((string?)t, (object?)$"conv-{i}")), host.Probe().Spans.OrderBy(s => s.ConversationId));
        var jobSpans = stopped.Where(a => a.OperationName == "job work/analyze").ToList();
        Assert.Equal(traces.Order(), jobSpans.Select(a => a.TraceId.ToString()).Order());
        // The shared work runs under a span of its own, the root of its own trace, that links to each job's span.
        var batchSpan = Assert.Single(host.Probe().BatchSpans);
        Assert.NotNull(batchSpan);
        Assert.Equal("job batch work", batchSpan.OperationName);
        Assert.Equal(default, batchSpan.ParentSpanId);
        Assert.DoesNotContain(batchSpan.TraceId.ToString(), traces);
        Assert.Equal(jobSpans.Select(a => a.SpanId.ToString()).Order(), batchSpan.Links.Select(l => l.Context.SpanId.ToString()).Order());
    }

    [Fact]
    public async Task WhenTheBatchThrowsEachJobRunsAgainAloneUnderItsOwnSpanWithoutSpendingAnAttempt()
    {
        await using var db = await ResultsDatabaseAsync();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "VoiceAnalytics.Jobs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        var first = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var broken = await db.Queue.EnqueueAsync("analyze", "conv-2", """{"mode": "throw-batch"}""", $"00-{traceId}-b7ad6b7169203331-01");
        var third = await db.Queue.EnqueueAsync("analyze", "conv-3", "{}", null);

        using var host = await StartAsync(db, claimBatch: 3);
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 3);

        Assert.Single(host.Probe().Batches);
        Assert.Equal([first.JobId, broken.JobId, third.JobId], host.Probe().Alone.Select(j => j.Id));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE state = 'done' AND attempts = 1"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(DISTINCT job_id) FROM public.results"));
        // Run alone, the job is still in its conversation's trace (its span is current for the handler).
        Assert.Contains((traceId, (object?)"conv-2"), host.Probe().Spans.TakeLast(3));
        await host.StopAsync();
    }

    [Fact]
    public async Task ALeaseLostInABatchRollsTheBatchBackAndOnlyTheJobsStillHeldRunAgain()
    {
        await using var db = await ResultsDatabaseAsync();
        var ids = await EnqueueAsync(db, "{}", """{"mode": "steal"}""", "{}");

        using var host = await StartAsync(db, claimBatch: 3);
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 2);
        await host.StopAsync();

        Assert.Equal([ids[0], ids[2]], host.Probe().Alone.Select(j => j.Id));
        Assert.Equal([ids[0], ids[2]], (await ResultsAsync(db)).Order());
        // The other worker's job is left to it.
        Assert.Equal("running|1|", await StateOf(db, ids[1]));
    }

    [Fact]
    public async Task TheLeasesOfABatchAreRenewedTogetherWhileItRuns()
    {
        await using var db = await ResultsDatabaseAsync();
        var ids = await EnqueueAsync(db, """{"mode": "gate"}""", """{"mode": "gate"}""", """{"mode": "gate"}""");

        // A renewal every second.
        using var host = await StartAsync(db, claimBatch: 3, q => q.LeaseDuration = TimeSpan.FromSeconds(3));
        await Eventually.TrueAsync(() => !host.Probe().Batches.IsEmpty);
        var claimedUntil = await db.ScalarAsync<DateTime>("SELECT max(lease_until) FROM jobs.jobs");

        await Eventually.TrueAsync(() => db.ScalarAsync<bool>($"SELECT bool_and(lease_until > '{claimedUntil:O}') FROM jobs.jobs").GetAwaiter().GetResult());
        // One statement renewed them all: one lease end.
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(DISTINCT lease_until) FROM jobs.jobs"));
        host.Probe().Gate.SetResult();
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 3);
        Assert.Equal(ids.Order(), (await ResultsAsync(db)).Order());
        Assert.Empty(host.Probe().Alone);
        await host.StopAsync();
    }

    [Fact]
    public async Task ShutdownGivesBackABatchInProgressWithoutSpendingAttempts()
    {
        await using var db = await ResultsDatabaseAsync();
        var ids = await EnqueueAsync(db, "{}", """{"mode": "block"}""", "{}");
        var host = await StartAsync(db, claimBatch: 3);
        await Eventually.TrueAsync(() => !host.Probe().Batches.IsEmpty);

        await host.StopAsync();
        host.Dispose();

        foreach (var id in ids)
        {
            Assert.Equal("queued|0|", await StateOf(db, id));
        }
        Assert.Empty(await ResultsAsync(db));
    }

    [Fact]
    public async Task EveryJobOfABatchIsCountedInTheJobsMeter()
    {
        const string queue = "metered_batch";
        await using var db = await ResultsDatabaseAsync();
        var totals = new ConcurrentDictionary<string, double>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "VoiceAnalytics.Jobs")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: queue })
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
                }
            }
        });
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "queue", Value: queue })
                {
                    totals.AddOrUpdate(instrument.Name, 1, (_, old) => old + 1);
                }
            }
        });
        meters.Start();
        var producer = new JobQueue(queue, db.DataSource, new JobQueueOptions());
        foreach (var payload in new[] { "{}", "{}", """{"mode": "dead"}""" })
        {
            await producer.EnqueueAsync("analyze", "conv", payload, null);
        }

        using var host = await WorkerHost.StartAsync(db.ConnectionString, w => (w.Concurrency, w.ClaimBatch) = (1, 3), queueName: queue, batches: true);
        await Eventually.TrueAsync(() => totals.GetValueOrDefault("jobs.dead") == 1 && totals.GetValueOrDefault("jobs.completed") == 2);

        Assert.Single(host.Probe().Batches);
        Assert.Equal(3, totals["jobs.claimed"]);
        Assert.Equal(3, totals["jobs.duration"]);
        await host.StopAsync();
    }

    private static async Task<QueueDatabase> ResultsDatabaseAsync()
    {
        var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        return db;
    }

    /// <summary>Queues the jobs before the worker starts, so that one claim takes them all.</summary>
    private static async Task<long[]> EnqueueAsync(QueueDatabase db, params string[] payloads)
    {
        var ids = new List<long>();
        for (var i = 0; i < payloads.Length; i++)
        {
            ids.Add((await db.Queue.EnqueueAsync("analyze", $"conv-{i}", payloads[i], null)).JobId);
        }
        return [.. ids];
    }

    private static Task<Microsoft.Extensions.Hosting.IHost> StartAsync(QueueDatabase db, int claimBatch, Action<JobQueueOptions>? configureQueue = null) =>
        WorkerHost.StartAsync(db.ConnectionString, w => (w.Concurrency, w.ClaimBatch) = (1, claimBatch), configureQueue, batches: true);

    private static async Task<List<long>> ResultsAsync(QueueDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT job_id FROM public.results");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private static Task<string> StateOf(QueueDatabase db, long id) =>
        db.ScalarAsync<string>($"SELECT state || '|' || attempts || '|' || coalesce(last_error, '') FROM jobs.jobs WHERE id = {id}");
}
