using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>The offline analyzer taking a claimed batch at once: one read, one transaction, the same verdicts as alone.</summary>
public sealed class BatchAnalysisTests
{
    private const string StoredTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736";

    /// <summary>Offline, one claim loop that claims everything queued at once.</summary>
    private static Dictionary<string, string?> OneBatch(int size) => new()
    {
        ["OPENAI_API_KEY"] = "",
        ["Jobs:analysis:Concurrency"] = "1",
        ["Jobs:analysis:ClaimBatch"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task ABatchIsStoredWithItsExportJobsAndCompletionsInOneTransaction()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        const int jobs = 6;
        var fixtures = Fixtures.TranscriptionFiles.ToArray();
        for (var i = 0; i < jobs; i++)
        {
            await db.StoreTranscriptionAsync(fixtures[i % fixtures.Length], $"conv_batch_{i}");
        }

        await using var host = await AnalysisFactory.StartAsync(db, OneBatch(jobs));
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync(
            "SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND state = 'done'") == jobs, "every job done");

        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM analysis.analyses WHERE version = 1"));
        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND attempts = 1"));
        // Every analysis, every export job and every completion: one commit.
        Assert.Equal(1, await db.CountAsync("""
            SELECT count(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM analysis.analyses UNION ALL SELECT xmin::text FROM jobs.jobs) AS rows
            """));
        // Each export job names its own conversation's analysis and continues that conversation's trace.
        var exports = await db.ListAsync("""
            SELECT j.job_key, a.conversation_id, j.trace_parent
            FROM jobs.jobs j JOIN analysis.analyses a ON a.id = (j.payload->>'analysis_id')::bigint
            WHERE j.queue = 'crm' AND j.kind = 'export'
            """, r => (Key: r.GetString(0), Conversation: r.GetString(1), Trace: r.GetString(2)));
        Assert.Equal(jobs, exports.Count);
        Assert.All(exports, e => Assert.Equal(e.Key, e.Conversation));
        Assert.All(exports, e => Assert.StartsWith(StoredTrace, e.Trace, StringComparison.Ordinal));
        // The verdicts are stored encrypted, as alone.
        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM analysis.analyses WHERE result->>'summary_ru' LIKE 'enc:v1:%'"));
    }

    [Fact]
    public async Task InAMixedBatchEachJobGetsTheVerdictItWouldGetAlone()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await RealMigrations.ApplyAsync(db.DataSource, "AnalysisService");
        var queue = new JobQueue(PipelineJobs.Analysis.Queue, db.DataSource, new JobQueueOptions());
        var good = await db.StoreTranscriptionAsync(conversationId: "conv_good");
        var again = await queue.EnqueueAsync(PipelineJobs.Analysis.Analyze, "conv_good", new AnalyzeJobPayload(good.EventId).ToJson(), null);
        var other = await db.StoreTranscriptionAsync("post_call_transcription_pt.json", "conv_other");
        var explicitAgain = await queue.EnqueueAsync(PipelineJobs.Analysis.AnalyzeNow, "conv_other",
            new AnalyzeJobPayload(other.EventId, "operator request", "key_ops").ToJson(), null);
        var missing = await queue.EnqueueAsync(PipelineJobs.Analysis.Analyze, "conv_gone", new AnalyzeJobPayload(987654).ToJson(), null);
        var audioEvent = await db.ScalarAsync<long>("""
            INSERT INTO ingest.webhook_events (event_type, event_timestamp, agent_id, conversation_id, payload)
            VALUES ('post_call_audio', 1767607331, 'agent_test', 'conv_audio', '{}') RETURNING id
            """);
        var audio = await queue.EnqueueAsync(PipelineJobs.Analysis.Analyze, "conv_audio", new AnalyzeJobPayload(audioEvent).ToJson(), null);
        var earlier = await db.StoreTranscriptionAsync("post_call_transcription_ru_digits.json", "conv_earlier");
        await db.ScalarAsync<int>(
            "INSERT INTO analysis.analyses (event_id, conversation_id, version, model, prompt_version, result) VALUES (@event, 'conv_earlier', 1, 'earlier', 'v0', '{}')",
            ("event", earlier.EventId));
        var unknown = await queue.EnqueueAsync("summarise", "conv_good", "{}", null);

        await using var host = await AnalysisFactory.StartAsync(db, OneBatch(10));
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync(
            "SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND state IN ('queued', 'running')") == 0, "every job finished");

        Assert.Equal("done", await StateOf(db, good.JobId));
        Assert.Equal("done", await StateOf(db, again.JobId));
        Assert.Equal("done", await StateOf(db, other.JobId));
        Assert.Equal("done", await StateOf(db, explicitAgain.JobId));
        Assert.Equal("done", await StateOf(db, earlier.JobId));
        Assert.StartsWith("dead: Event 987654 does not exist", await StateOf(db, missing.JobId), StringComparison.Ordinal);
        Assert.StartsWith("dead: Event", await StateOf(db, audio.JobId), StringComparison.Ordinal);
        Assert.Contains("post_call_audio", await StateOf(db, audio.JobId), StringComparison.Ordinal);
        Assert.StartsWith("dead: Unknown job kind", await StateOf(db, unknown.JobId), StringComparison.Ordinal);
        // The second automatic job of conv_good found it analysed (in the same batch); the explicit one added a version.
        var versions = await db.ListAsync("SELECT conversation_id, version, coalesce(reason, '') FROM analysis.analyses ORDER BY conversation_id, version",
            r => (r.GetString(0), r.GetInt32(1), r.GetString(2)));
        Assert.Equal([("conv_earlier", 1, ""), ("conv_good", 1, "webhook"), ("conv_other", 1, "webhook"), ("conv_other", 2, "operator request")], versions);
        Assert.Equal(3, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));
        // One claim and one transaction for all of them.
        Assert.Equal(1, await db.CountAsync("SELECT count(DISTINCT locked_by) FROM jobs.jobs WHERE queue = 'analysis'"));
        Assert.Equal(1, await db.CountAsync("SELECT count(DISTINCT xmin::text) FROM analysis.analyses WHERE model <> 'earlier'"));
    }

    [Fact]
    public async Task ALeaseLostForOneJobOfABatchStoresNothingAndNoJobIsAnalysedTwice()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            await db.StoreTranscriptionAsync(conversationId: $"conv_lease_{i}");
        }
        // This test's claim, with a lease no worker of the service can take over.
        var queue = new JobQueue(PipelineJobs.Analysis.Queue, db.DataSource, new JobQueueOptions { LeaseDuration = TimeSpan.FromHours(1) });
        var claimed = await queue.ClaimBatchAsync(3);
        Assert.Equal(3, claimed.Count);
        await using var host = await AnalysisFactory.StartAsync(db, OneBatch(3));
        await using var scope = host.Services.CreateAsyncScope();
        var handler = Assert.IsAssignableFrom<IBatchJobHandler>(scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(PipelineJobs.Analysis.Queue));
        var stolen = claimed[1] with { LeaseToken = "another-worker" };
        await db.ScalarAsync<int>("UPDATE jobs.jobs SET locked_by = @token WHERE id = @id", ("token", stolen.LeaseToken), ("id", stolen.Id));

        await Assert.ThrowsAsync<JobLeaseLostException>(() => handler.HandleBatchAsync([.. claimed.Select(j => new JobContext(j, queue))], CancellationToken.None));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM analysis.analyses"));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));

        // The worker runs the jobs it still holds alone; the other worker runs the one it took.
        foreach (var job in new[] { claimed[0], claimed[2], stolen })
        {
            Assert.Equal(JobOutcome.Succeeded, (await handler.HandleAsync(new JobContext(job, queue), CancellationToken.None)).Outcome);
        }
        Assert.Equal(3, await db.CountAsync("SELECT count(*) FROM analysis.analyses WHERE version = 1"));
        Assert.Equal(3, await db.CountAsync("SELECT count(DISTINCT conversation_id) FROM analysis.analyses"));
        Assert.Equal(3, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));
        Assert.Equal(3, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND state = 'done'"));
    }

    private static async Task<string> StateOf(AnalysisDatabase db, long jobId) =>
        (await db.ScalarAsync<string>("SELECT state || coalesce(': ' || last_error, '') FROM jobs.jobs WHERE id = @id", ("id", jobId)))!;
}
