using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Jobs;

public sealed class JobQueueTests
{
    [Fact]
    public async Task JobsAreClaimedInRunAtOrderAndNotBeforeTheirTime()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var later = await db.Queue.EnqueueAsync("analyze", "conv-later", """{"n": 1}""", null, delay: TimeSpan.FromHours(1));
        var first = await db.Queue.EnqueueAsync("analyze", "conv-1", """{"n": 2}""", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        var second = await db.Queue.EnqueueAsync("analyze", "conv-2", """{"n": 3}""", null);

        var a = await db.Queue.ClaimAsync();
        var b = await db.Queue.ClaimAsync();
        var none = await db.Queue.ClaimAsync();

        Assert.Equal(first.JobId, a!.Id);
        Assert.Equal("conv-1", a.Key);
        Assert.Equal("analyze", a.Kind);
        Assert.Equal(1, a.Attempt);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", a.TraceParent);
        Assert.Contains("\"n\": 2", a.PayloadJson);
        Assert.Equal(second.JobId, b!.Id);
        Assert.Null(none);

        await db.ExecuteAsync($"UPDATE jobs.jobs SET run_at = now() WHERE id = {later.JobId}");
        Assert.Equal(later.JobId, (await db.Queue.ClaimAsync())!.Id);
    }

    [Fact]
    public async Task ConcurrentBatchClaimsNeverHandOneJobToTwoClaimers()
    {
        await using var db = await QueueDatabase.CreateAsync();
        for (var i = 0; i < 60; i++)
        {
            await db.Queue.EnqueueAsync("analyze", $"conv-{i}", "{}", null);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var mine = new List<ClaimedJob>();
            while (await db.Queue.ClaimBatchAsync(4) is { Count: > 0 } batch)
            {
                Assert.InRange(batch.Count, 1, 4);
                mine.AddRange(batch);
            }
            return mine;
        }));

        var ids = claims.SelectMany(c => c).Select(j => j.Id).ToList();
        Assert.Equal(60, ids.Count);
        Assert.Equal(60, ids.Distinct().Count());
        Assert.All(claims.SelectMany(c => c), j => Assert.Equal(1, j.Attempt));
        Assert.Equal(60L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs WHERE state = 'running' AND attempts = 1"));
    }

    [Fact]
    public async Task ABatchClaimTakesExpiredLeasesFirstThenDueJobsInTheirOrder()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var crashed = await db.Queue.EnqueueAsync("analyze", "conv-crashed", "{}", null);
        Assert.Equal(crashed.JobId, (await db.Queue.ClaimAsync())!.Id);
        await db.ExecuteAsync($"UPDATE jobs.jobs SET lease_until = now() - interval '1 minute' WHERE id = {crashed.JobId}");
        var first = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var second = await db.Queue.EnqueueAsync("analyze", "conv-2", "{}", null);
        var third = await db.Queue.EnqueueAsync("analyze", "conv-3", "{}", null);
        await db.Queue.EnqueueAsync("analyze", "conv-later", "{}", null, delay: TimeSpan.FromHours(1));

        var batch = await db.Queue.ClaimBatchAsync(3);

        Assert.Equal([crashed.JobId, first.JobId, second.JobId], batch.Select(j => j.Id));
        Assert.Equal(2, batch[0].Attempt);
        Assert.Equal([third.JobId], (await db.Queue.ClaimBatchAsync(3)).Select(j => j.Id));
        Assert.Empty(await db.Queue.ClaimBatchAsync(3));
    }

    [Fact]
    public async Task AnEnqueueInARolledBackTransactionLeavesNoJob()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await db.Queue.EnqueueAsync(connection, transaction, "analyze", "conv-1", "{}", null);
            await transaction.RollbackAsync();
        }

        Assert.Null(await db.Queue.ClaimAsync());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs"));
    }

    [Fact]
    public async Task DeduplicationReturnsTheQueuedJobInsteadOfCreatingASecond()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var first = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true);
        var again = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true);
        var otherKind = await db.Queue.EnqueueAsync("export", "conv-1", "{}", null, deduplicate: true);
        var withoutDedup = await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);

        Assert.True(first.Created);
        Assert.Equal(new EnqueueResult(first.JobId, false), again);
        Assert.True(otherKind.Created);
        Assert.True(withoutDedup.Created);

        var claimed = await db.Queue.ClaimAsync();
        await db.Queue.CompleteAsync(claimed!);
        await db.Queue.CompleteAsync((await db.Queue.ClaimAsync())!);
        await db.Queue.CompleteAsync((await db.Queue.ClaimAsync())!);
        Assert.True((await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true)).Created);
    }

    [Fact]
    public async Task ConcurrentDeduplicatedEnqueuesCreateOneJob()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null, deduplicate: true)));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.JobId).Distinct());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs"));
    }

    [Fact]
    public async Task InvalidPayloadIsRejectedAndNothingIsQueued()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => db.Queue.EnqueueAsync("analyze", "conv-1", "{not json", null));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs"));
    }

    [Fact]
    public async Task AnExpiredLeaseIsRetakenAndTheOldOwnersCompletionIsRefused()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.ExecuteAsync("CREATE TABLE results (job_id bigint, owner text)");
        await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var crashed = (await db.Queue.ClaimAsync())!;
        Assert.Null(await db.Queue.ClaimAsync());

        // The first owner stalls past its lease.
        await db.ExecuteAsync("UPDATE jobs.jobs SET lease_until = now() - interval '1 second'");
        var retaken = (await db.Queue.ClaimAsync())!;
        Assert.Equal(crashed.Id, retaken.Id);
        Assert.Equal(2, retaken.Attempt);
        Assert.NotEqual(crashed.LeaseToken, retaken.LeaseToken);

        await StoreResultAndCompleteAsync(db, retaken, "new");
        await Assert.ThrowsAsync<JobLeaseLostException>(() => StoreResultAndCompleteAsync(db, crashed, "old"));
        Assert.False(await db.Queue.RenewLeaseAsync(crashed));
        await Assert.ThrowsAsync<JobLeaseLostException>(() => db.Queue.FailAsync(crashed, "late"));

        Assert.Equal("new", await db.ScalarAsync<string>("SELECT string_agg(owner, ',') FROM results"));
        Assert.Equal("done", await db.ScalarAsync<string>("SELECT state FROM jobs.jobs"));
    }

    [Fact]
    public async Task FailuresBackOffThenTheJobIsDeadWithItsLastError()
    {
        // The consumer's setting decides the attempts; the producer stamps none on the job.
        await using var db = await QueueDatabase.CreateAsync(new JobQueueOptions { RetryBaseDelay = TimeSpan.FromMinutes(1), MaxAttempts = 3 });
        await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var job = (await db.Queue.ClaimAsync())!;
            Assert.Equal(attempt, job.Attempt);
            Assert.Equal(JobState.Queued, await db.Queue.FailAsync(job, $"boom {attempt}"));
            // Backed off: not claimable until run_at, which lies at least half the exponential delay ahead.
            Assert.Null(await db.Queue.ClaimAsync());
            var wait = await db.ScalarAsync<TimeSpan>("SELECT run_at - now() FROM jobs.jobs");
            Assert.InRange(wait, TimeSpan.FromSeconds(30 * Math.Pow(2, attempt - 1) - 5), TimeSpan.FromMinutes(Math.Pow(2, attempt - 1)));
            await db.ExecuteAsync("UPDATE jobs.jobs SET run_at = now()");
        }

        var last = (await db.Queue.ClaimAsync())!;
        Assert.True(last.IsLastAttempt);
        Assert.Equal(JobState.Dead, await db.Queue.FailAsync(last, "boom 3"));
        Assert.Null(await db.Queue.ClaimAsync());
        Assert.Equal("dead|3|boom 3", await db.ScalarAsync<string>("SELECT state || '|' || attempts || '|' || last_error FROM jobs.jobs"));
    }

    [Fact]
    public async Task APermanentFailureIsDeadAtOnce()
    {
        await using var db = await QueueDatabase.CreateAsync();
        await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var job = (await db.Queue.ClaimAsync())!;

        Assert.Equal(JobState.Dead, await db.Queue.FailAsync(job, "event not found", permanent: true));
        Assert.Equal("dead|event not found", await db.ScalarAsync<string>("SELECT state || '|' || last_error FROM jobs.jobs"));
    }

    [Fact]
    public async Task ASnoozeDoesNotSpendAnAttempt()
    {
        await using var db = await QueueDatabase.CreateAsync(new JobQueueOptions { MaxAttempts = 1 });
        await db.Queue.EnqueueAsync("analyze", "conv-1", "{}", null);
        var job = (await db.Queue.ClaimAsync())!;
        await db.Queue.SnoozeAsync(job, TimeSpan.FromMinutes(5));

        Assert.Null(await db.Queue.ClaimAsync());
        Assert.Equal("queued|0", await db.ScalarAsync<string>("SELECT state || '|' || attempts FROM jobs.jobs"));
        Assert.True(await db.ScalarAsync<bool>("SELECT run_at > now() + interval '4 minutes' FROM jobs.jobs"));

        await db.ExecuteAsync("UPDATE jobs.jobs SET run_at = now()");
        var again = (await db.Queue.ClaimAsync())!;
        Assert.Equal(1, again.Attempt);
        Assert.True(again.IsLastAttempt);
    }

    [Fact]
    public async Task RequeueRunsAFinishedJobAgainWithFreshAttempts()
    {
        await using var db = await QueueDatabase.CreateAsync(new JobQueueOptions { MaxAttempts = 1 });
        var original = await db.Queue.EnqueueAsync("export", "conv-1", "{}", null);
        var job = (await db.Queue.ClaimAsync())!;
        await db.Queue.FailAsync(job, "crm down");

        Assert.Equal(original.JobId, await db.Queue.RequeueAsync("export", "conv-1"));
        Assert.Equal(original.JobId, await db.Queue.RequeueAsync("export", "conv-1"));
        Assert.Null(await db.Queue.RequeueAsync("export", "conv-unknown"));
        var again = (await db.Queue.ClaimAsync())!;
        Assert.Equal(original.JobId, again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM jobs.jobs"));
    }

    [Fact]
    public async Task StatsCountEachStateAndTheOldestDueJob()
    {
        await using var db = await QueueDatabase.CreateAsync();
        Assert.Equal(new JobQueueStats(0, 0, 0, 0, null), await db.Queue.GetStatsAsync());
        for (var i = 0; i < 5; i++)
        {
            await db.Queue.EnqueueAsync("analyze", $"conv-{i}", "{}", null);
        }
        await db.Queue.EnqueueAsync("analyze", "conv-later", "{}", null, delay: TimeSpan.FromHours(1));
        await db.Queue.CompleteAsync((await db.Queue.ClaimAsync())!);
        await db.Queue.FailAsync((await db.Queue.ClaimAsync())!, "bad", permanent: true);
        await db.Queue.ClaimAsync();
        await db.ExecuteAsync("UPDATE jobs.jobs SET run_at = now() - interval '10 minutes' WHERE state = 'queued' AND job_key = 'conv-3'");

        var stats = await db.Queue.GetStatsAsync();

        Assert.Equal((3L, 1L, 1L, 1L), (stats.Queued, stats.Running, stats.Done, stats.Dead));
        Assert.InRange(stats.OldestQueuedAge!.Value, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(11));
    }

    [Fact]
    public async Task ANudgeWakesWhoeverWaits()
    {
        await using var db = await QueueDatabase.CreateAsync();
        var wakeUp = db.Queue.NextWakeUp;
        Assert.False(wakeUp.IsCompleted);

        db.Queue.Nudge();

        await wakeUp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(db.Queue.NextWakeUp.IsCompleted);
    }

    [Fact]
    public async Task ACommittedEnqueueWakesAListenerInAnotherConnection()
    {
        await using var db = await QueueDatabase.CreateAsync();
        using var stop = new CancellationTokenSource();
        var listening = db.Queue.ListenAsync(stop.Token);
        await Eventually.TrueAsync(() => db.Queue.IsListening);

        // A producer in another process has its own JobQueue; only NOTIFY can reach this one.
        var producer = new JobQueue(QueueDatabase.QueueName, db.DataSource, new JobQueueOptions());
        var wakeUp = db.Queue.NextWakeUp;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await producer.EnqueueAsync(connection, transaction, "analyze", "conv-1", "{}", null);
            Assert.False(wakeUp.IsCompleted);
            await transaction.CommitAsync();
        }

        await wakeUp.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await listening;
        Assert.False(db.Queue.IsListening);
    }

    private static async Task StoreResultAndCompleteAsync(QueueDatabase db, ClaimedJob job, string owner)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand($"INSERT INTO results VALUES ({job.Id}, '{owner}')", connection, transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }
        await db.Queue.CompleteAsync(job, connection, transaction);
        await transaction.CommitAsync();
    }
}
