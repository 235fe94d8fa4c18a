using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Analysis.Tests.Integration;

public sealed class QueueBehaviourTests
{
    private static Dictionary<string, string?> Settings(FakeOpenAiServer llm, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-test", ["OPENAI_BASE_URL"] = llm.BaseUrl };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task AnInvalidAnswerIsRetriedThenTheJobIsDeadWithTheReason()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.Reply = _ => FakeLlmReply.Ok(FakeLlmReply.ValidVerdict.Replace("\"quality\":5", "\"quality\":9"));
        var (_, jobId, _) = await db.StoreTranscriptionAsync();
        // The consumer's setting decides how often a job is tried; the producer stamps nothing on it.
        await using var host = await AnalysisFactory.StartAsync(db, Settings(llm, ("Jobs:analysis:MaxAttempts", "3")));

        await AnalysisDatabase.EventuallyAsync(async () => await db.ScalarAsync<string>(
            "SELECT state FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)) == "dead", "the job is dead");

        Assert.Equal(3, llm.Requests.Count);
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT attempts FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)));
        var error = await db.ScalarAsync<string>("SELECT last_error FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId));
        Assert.Contains("quality must be an integer from 1 to 5", error);
        Assert.DoesNotContain("Иван", error);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM analysis.analyses"));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));
    }

    [Fact]
    public async Task AKilledWorkersJobIsTakenAgainAfterItsLease()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        var (_, jobId, _) = await db.StoreTranscriptionAsync();
        // A worker that claimed the job and was killed: a claim with a 1 s lease that nobody renews or finishes.
        var killed = new JobQueue(PipelineJobs.Analysis.Queue, db.DataSource, new JobQueueOptions { LeaseDuration = TimeSpan.FromSeconds(1) });
        var claimed = await killed.ClaimAsync();
        Assert.Equal(jobId, claimed?.Id);

        await using var host = await AnalysisFactory.StartAsync(db, Settings(llm));
        await AnalysisDatabase.EventuallyAsync(async () => await db.ScalarAsync<string>(
            "SELECT state FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)) == "done", "the job is done");

        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM analysis.analyses"));
        // The killed worker, had it come back, could not complete the job a second time.
        await Assert.ThrowsAsync<JobLeaseLostException>(() => killed.CompleteAsync(claimed!));
    }

    [Fact]
    public async Task ConcurrentWorkersOfTwoInstancesNeverProcessAJobTwice()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.Latency = TimeSpan.FromMilliseconds(20);
        const int jobs = 40;
        for (var i = 0; i < jobs; i++)
        {
            await db.StoreTranscriptionAsync(conversationId: $"conv_once_{i}");
        }
        var settings = Settings(llm, ("ANALYZE_MAX_CONCURRENCY", "8"), ("ANALYZE_MIN_MS", "0"), ("Jobs:analysis:Concurrency", "6"));
        await using var first = await AnalysisFactory.StartAsync(db, settings);
        await using var second = await AnalysisFactory.StartAsync(db, settings);

        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync(
            "SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND state = 'done'") == jobs, "every job done");

        Assert.Equal(jobs, llm.Requests.Count);
        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM analysis.analyses"));
        Assert.Equal(jobs, await db.CountAsync("SELECT count(DISTINCT conversation_id) FROM analysis.analyses"));
        Assert.Equal(1, await db.CountAsync("SELECT max(version) FROM analysis.analyses"));
        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));
        Assert.Equal(jobs, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND attempts = 1"));
    }
}
