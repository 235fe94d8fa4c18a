using System.Diagnostics;
using Npgsql;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Jobs;

public sealed class JobWorkerTests
{
    // Longer than any test: a job that completes was woken by NOTIFY or a nudge, not by the poll.
    private static readonly TimeSpan NoPoll = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task FourWorkersProcessEveryJobExactlyOnce()
    {
        var connectionString = await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("jobs");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var create = dataSource.CreateCommand("CREATE TABLE public.results (job_id bigint NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync();
        }
        // Four processes start together and race to migrate the queue's table.
        var hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            WorkerHost.StartAsync(connectionString, w => w.Concurrency = 3)));
        try
        {
            var producer = hosts[0].Queue();
            await Eventually.TrueAsync(() => hosts.All(h => h.Queue().IsListening));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async batch =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await producer.EnqueueAsync("analyze", $"conv-{batch}-{i}", "{}", null);
                }
            }));

            await Eventually.TrueAsync(() => hosts.Sum(h => h.Probe().Finished.Count) >= 200, seconds: 90);

            await using var check = dataSource.CreateCommand("""
                SELECT (SELECT count(*) FROM public.results),
                       (SELECT count(DISTINCT job_id) FROM public.results),
                       (SELECT count(*) FROM jobs.jobs WHERE state = 'done'),
                       (SELECT count(*) FROM public.schema_migrations WHERE schema_name = 'jobs' AND version = '001_jobs')
                """);
            await using var reader = await check.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal((200L, 200L, 200L, 1L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            Assert.Equal(200, hosts.Sum(h => h.Probe().Started.Count));
        }
        finally
        {
            await Task.WhenAll(hosts.Select(h => h.StopAsync()));
            foreach (var host in hosts)
            {
                host.Dispose();
            }
        }
    }

    [Fact]
    public async Task AnotherProcessesEnqueueWakesTheWorkerWithoutWaitingForThePoll()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        using var host = await WorkerHost.StartAsync(db.ConnectionString, w => w.PollInterval = NoPoll);
        await Eventually.TrueAsync(() => host.Queue().IsListening);

        // db.Queue is a different JobQueue instance (as in the gateway): only NOTIFY reaches the worker.
        var job = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);

        await Eventually.TrueAsync(() => host.Probe().Finished.Any(j => j.Id == job.JobId));
        await host.StopAsync();
    }

    [Fact]
    public async Task ANudgeWakesTheWorkerForAJobInsertedWithoutNotify()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        using var host = await WorkerHost.StartAsync(db.ConnectionString, w => w.PollInterval = NoPoll);
        await Eventually.TrueAsync(() => host.Queue().IsListening);

        var id = await db.ScalarAsync<long>("INSERT INTO jobs.jobs (queue, kind, job_key) VALUES ('work', 'analyze', 'conv-1') RETURNING id");
        host.Queue().Nudge();

        await Eventually.TrueAsync(() => host.Probe().Finished.Any(j => j.Id == id));
        await host.StopAsync();
    }

    [Fact]
    public async Task HandlerOutcomesBecomeRetriesDeadJobsAndSnoozes()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        using var host = await WorkerHost.StartAsync(db.ConnectionString, configureQueue: q => q.RetryBaseDelay = TimeSpan.FromHours(1));

        var thrown = await db.Queue.EnqueueAsync("analyze", "conv-throw", """{"mode": "throw"}""", null);
        var dead = await db.Queue.EnqueueAsync("analyze", "conv-dead", """{"mode": "dead"}""", null);
        var snoozed = await db.Queue.EnqueueAsync("analyze", "conv-snooze", """{"mode": "snooze"}""", null);
        var stored = await db.Queue.EnqueueAsync("analyze", "conv-store", "{}", null);

        await Eventually.TrueAsync(() => host.Probe().Started.Count >= 4 && host.Probe().Finished.Count >= 1);
        await Eventually.TrueAsync(() => db.Queue.GetStatsAsync().GetAwaiter().GetResult().Running == 0);

        Assert.Equal("queued|1|InvalidOperationException: handler broke", await StateOf(db, thrown.JobId));
        Assert.Equal("dead|1|input is unusable", await StateOf(db, dead.JobId));
        Assert.Equal("queued|0|", await StateOf(db, snoozed.JobId));
        Assert.Equal("done|1|", await StateOf(db, stored.JobId));
        await host.StopAsync();
    }

    [Fact]
    public async Task InABatchClaimOnlyTheJobThatFailedIsRetried()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        var first = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var thrown = await db.Queue.EnqueueAsync("analyze", "conv-throw", """{"mode": "throw"}""", null);
        var third = await db.Queue.EnqueueAsync("analyze", "conv-3", "{}", null);
        var fourth = await db.Queue.EnqueueAsync("analyze", "conv-4", "{}", null);

        // One loop, one claim for all four.
        using var host = await WorkerHost.StartAsync(db.ConnectionString, w => (w.Concurrency, w.ClaimBatch) = (1, 4),
            q => q.RetryBaseDelay = TimeSpan.FromHours(1));
        await Eventually.TrueAsync(() => host.Probe().Finished.Count >= 3);
        await Eventually.TrueAsync(() => db.Queue.GetStatsAsync().GetAwaiter().GetResult().Running == 0);

        Assert.Equal("queued|1|InvalidOperationException: handler broke", await StateOf(db, thrown.JobId));
        foreach (var stored in new[] { first, third, fourth })
        {
            Assert.Equal("done|1|", await StateOf(db, stored.JobId));
        }
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(DISTINCT locked_by) FROM jobs.jobs"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM public.results"));
        await host.StopAsync();
    }

    [Fact]
    public async Task ShutdownGivesBackTheClaimedJobsNotStartedYetWithoutSpendingAttempts()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var blocked = await db.Queue.EnqueueAsync("analyze", "conv-block", """{"mode": "block"}""", null);
        var waiting = await db.Queue.EnqueueAsync("analyze", "conv-waiting", "{}", null);
        var host = await WorkerHost.StartAsync(db.ConnectionString, w => (w.Concurrency, w.ClaimBatch) = (1, 2));
        await Eventually.TrueAsync(() => !host.Probe().Started.IsEmpty);
        Assert.Equal("running|1|", await StateOf(db, waiting.JobId));

        await host.StopAsync();
        host.Dispose();

        Assert.Equal("queued|0|", await StateOf(db, blocked.JobId));
        Assert.Equal("queued|0|", await StateOf(db, waiting.JobId));
    }

    [Fact]
    public async Task TheJobSpanContinuesTheStoredTraceAndCarriesTheConversationId()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "VoiceAnalytics.Jobs",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var host = await WorkerHost.StartAsync(db.ConnectionString);

        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        await db.Queue.EnqueueAsync("analyze", "conv-traced", "{}", $"00-{traceId}-b7ad6b7169203331-01");

        await Eventually.TrueAsync(() => !host.Probe().Spans.IsEmpty);
        Assert.Equal((traceId, "conv-traced"), host.Probe().Spans.Single());
        await host.StopAsync();
    }

    [Fact]
    public async Task ShutdownHandsAJobInProgressBackWithoutSpendingAnAttempt()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var host = await WorkerHost.StartAsync(db.ConnectionString);
        var job = await db.Queue.EnqueueAsync("analyze", "conv-1", """{"mode": "block"}""", null);
        await Eventually.TrueAsync(() => !host.Probe().Started.IsEmpty);

        await host.StopAsync();
        host.Dispose();

        Assert.Equal("queued|0|", await StateOf(db, job.JobId));
    }

    [Fact]
    public async Task TheWorkerKeepsGoingAfterPostgresRestarts()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        await using var db = await QueueDatabase.CreateAsync(server: server);
        await db.ExecuteAsync("CREATE TABLE public.results (job_id bigint NOT NULL)");
        using var host = await WorkerHost.StartAsync(db.ConnectionString, w => w.PollInterval = NoPoll);
        var queue = host.Queue();
        await Eventually.TrueAsync(() => queue.IsListening);
        var before = await db.Queue.EnqueueAsync("analyze", "conv-before", "{}", null);
        await Eventually.TrueAsync(() => host.Probe().Finished.Any(j => j.Id == before.JobId));

        await server.StopServerAsync();
        await Eventually.TrueAsync(() => !queue.IsListening);
        await server.StartServerAsync();
        db.DataSource.Clear(); // the test's own pooled connections died with the server

        // Only a reconnected listener can hear this: the poll is ten minutes away.
        await Eventually.TrueAsync(() => queue.IsListening);
        var after = await db.Queue.EnqueueAsync("analyze", "conv-after", "{}", null);
        await Eventually.TrueAsync(() => host.Probe().Finished.Any(j => j.Id == after.JobId));
        await host.StopAsync();
    }

    private static Task<string> StateOf(QueueDatabase db, long id) =>
        db.ScalarAsync<string>($"SELECT state || '|' || attempts || '|' || coalesce(last_error, '') FROM jobs.jobs WHERE id = {id}");
}
