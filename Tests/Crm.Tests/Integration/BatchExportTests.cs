using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Crm.Tests.Integration;

/// <summary>
/// A claimed batch of exports handed to the handler at once, with the Markdown mirror as the only sink: the test
/// claims the jobs and calls the handler itself, as the worker does for a batch.
/// </summary>
public sealed class BatchExportTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private CrmDatabase _db = null!;
    private CrmFactory _host = null!;

    private string MarkdownPath => _folder.File("memory-bank/crm.md");

    public async Task InitializeAsync()
    {
        _db = await CrmDatabase.CreateAsync();
        _host = await CrmFactory.StartAsync(_db, new Dictionary<string, string?> { ["CRM_MD_ENABLED"] = "true", ["CRM_MD_PATH"] = MarkdownPath });
        await _host.StopWorkerAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    private static string ResultJson => Leads.FixtureResult().GetRawText();

    private async Task<long> QueueExportAsync(string conversationId)
    {
        var analysisId = await _db.SeedAnalysisAsync(conversationId, ResultJson);
        await _host.EnqueueExportAsync(conversationId, analysisId);
        return analysisId;
    }

    private async Task<(List<JobContext> Batch, IReadOnlyList<JobResult> Verdicts)> ClaimAndHandleAsync(int expected)
    {
        var jobs = await _host.Queue.ClaimBatchAsync(expected + 1);
        Assert.Equal(expected, jobs.Count);
        var batch = jobs.Select(job => new JobContext(job, _host.Queue)).ToList();
        await using var scope = _host.Services.CreateAsyncScope();
        var verdicts = await _host.ExportHandler(scope).HandleBatchAsync(batch, CancellationToken.None);
        Assert.Equal(batch.Count, verdicts.Count);
        return (batch, verdicts);
    }

    private async Task<string> MirrorAsync() => File.Exists(MarkdownPath) ? await File.ReadAllTextAsync(MarkdownPath) : "";

    private static int Sections(string content, string conversationId) =>
        Regex.Matches(content, Regex.Escape(MarkdownSection.StartMarker(conversationId))).Count;

    private Task<long> CountAsync(string sql) => _db.ScalarAsync<long>(sql);

    [Fact]
    public async Task ABatchIsReadInOneCallWrittenOnceAndRecordedAndCompletedInOneTransaction()
    {
        var conversations = Enumerable.Range(1, 5).Select(i => $"conv_batch_{i}").ToList();
        foreach (var conversation in conversations)
        {
            await QueueExportAsync(conversation);
        }
        var callsBefore = _db.Analysis.GetLeadsCalls;

        var (batch, verdicts) = await ClaimAndHandleAsync(conversations.Count);

        Assert.All(verdicts, v => Assert.Equal(JobOutcome.Succeeded, v.Outcome));
        Assert.All(batch, c => Assert.True(c.IsCompleted));
        Assert.Equal(1, _db.Analysis.GetLeadsCalls - callsBefore);
        Assert.Equal(5, await CountAsync("SELECT count(*) FROM crm.exports WHERE state = 'done' AND attempts = 1 AND exported_at IS NOT NULL AND sink = 'markdown'"));
        Assert.Equal(5, await CountAsync("SELECT count(*) FROM crm.export_attempts WHERE outcome = 'exported' AND requested_by = 'system:pipeline'"));
        Assert.Equal(5, await CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND state = 'done'"));
        // Every record, attempt and completion was written by the same transaction.
        Assert.Equal(1, await CountAsync("""
            SELECT count(DISTINCT x) FROM (
                SELECT xmin::text AS x FROM crm.exports UNION ALL
                SELECT xmin::text FROM crm.export_attempts UNION ALL
                SELECT xmin::text FROM jobs.jobs WHERE queue = 'crm') AS rows
            """));
        var mirror = await MirrorAsync();
        Assert.StartsWith("# CRM exports\n", mirror);
        Assert.Single(Regex.Matches(mirror, "# CRM exports"));
        Assert.All(conversations, c => Assert.Equal(1, Sections(mirror, c)));
    }

    [Fact]
    public async Task InAMixedBatchEachJobGetsTheVerdictItWouldGetAlone()
    {
        await QueueExportAsync("conv_first");
        var older = await _db.SeedAnalysisAsync("conv_superseded", ResultJson);
        await _db.SeedReanalysisAsync("conv_superseded", ResultJson);
        await _host.EnqueueExportAsync("conv_superseded", older);
        await QueueExportAsync("conv_erased");
        _db.Analysis.Erase("conv_erased");
        await _host.Queue.EnqueueAsync(PipelineJobs.Crm.Export, "conv_bad_payload", "{}", null);
        await _host.Queue.EnqueueAsync("unknown", "conv_unknown_kind", "{}", null);
        await QueueExportAsync("conv_last");

        var (batch, verdicts) = await ClaimAndHandleAsync(6);

        var byConversation = batch.Zip(verdicts).ToDictionary(p => p.First.Job.Key, p => (Context: p.First, Verdict: p.Second));
        foreach (var conversation in new[] { "conv_first", "conv_superseded", "conv_erased", "conv_last" })
        {
            Assert.Equal(JobOutcome.Succeeded, byConversation[conversation].Verdict.Outcome);
            Assert.True(byConversation[conversation].Context.IsCompleted, conversation);
        }
        foreach (var conversation in new[] { "conv_bad_payload", "conv_unknown_kind" })
        {
            Assert.Equal(JobOutcome.Dead, byConversation[conversation].Verdict.Outcome);
            Assert.False(byConversation[conversation].Context.IsCompleted, conversation);
        }
        Assert.Equal(["conv_first", "conv_last"], await ExportedAsync());
        var mirror = await MirrorAsync();
        Assert.Equal(1, Sections(mirror, "conv_first"));
        Assert.Equal(1, Sections(mirror, "conv_last"));
        Assert.Equal(0, Sections(mirror, "conv_superseded"));
        Assert.Equal(0, Sections(mirror, "conv_erased"));
    }

    [Fact]
    public async Task WhileTheAnalysisServiceIsDownEveryJobOfTheBatchWaitsWithoutSpendingAnAttempt()
    {
        await QueueExportAsync("conv_wait_1");
        await QueueExportAsync("conv_wait_2");
        await QueueExportAsync("conv_wait_3");
        await _db.Analysis.StopAsync();

        var (batch, verdicts) = await ClaimAndHandleAsync(3);

        Assert.All(verdicts, v => Assert.Equal(JobOutcome.Snooze, v.Outcome));
        Assert.All(batch, c => Assert.False(c.IsCompleted));
        foreach (var context in batch)
        {
            await _host.Queue.SnoozeAsync(context.Job, TimeSpan.Zero);
        }
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND state = 'queued' AND attempts = 0"));
        Assert.Empty(await ExportedAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM crm.export_attempts"));
        Assert.Equal("", await MirrorAsync());
    }

    [Fact]
    public async Task ALeaseLostOnOneJobRecordsNothingOfTheBatch()
    {
        await QueueExportAsync("conv_lease_1");
        await QueueExportAsync("conv_lease_2");
        await QueueExportAsync("conv_lease_3");
        var jobs = await _host.Queue.ClaimBatchAsync(3);
        // Its lease expired and another worker claimed it meanwhile.
        await _db.ExecuteAsync($"UPDATE jobs.jobs SET locked_by = 'another worker' WHERE id = {jobs[1].Id}");
        var batch = jobs.Select(job => new JobContext(job, _host.Queue)).ToList();

        await using var scope = _host.Services.CreateAsyncScope();
        await Assert.ThrowsAsync<JobLeaseLostException>(() => _host.ExportHandler(scope).HandleBatchAsync(batch, CancellationToken.None));

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM crm.exports"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM crm.export_attempts"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND state = 'running'"));
    }

    [Fact]
    public async Task AMirrorThatCannotBeWrittenFailsEveryExportOfTheBatchInOneTransaction()
    {
        await QueueExportAsync("conv_unwritable_1");
        await QueueExportAsync("conv_unwritable_2");
        // A directory where the file should be: the append fails.
        Directory.CreateDirectory(MarkdownPath);

        var (batch, verdicts) = await ClaimAndHandleAsync(2);

        Assert.All(verdicts, v => Assert.Equal(JobOutcome.Retry, v.Outcome));
        Assert.All(verdicts, v => Assert.StartsWith("Markdown mirror:", v.Error, StringComparison.Ordinal));
        Assert.All(batch, c => Assert.False(c.IsCompleted));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM crm.exports WHERE state = 'queued' AND attempts = 1 AND last_error LIKE 'Markdown mirror:%'"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM crm.export_attempts WHERE outcome = 'retrying'"));
        Assert.Equal(1, await CountAsync("SELECT count(DISTINCT xmin::text) FROM crm.export_attempts"));
    }

    [Fact]
    public async Task WithCreatioEachJobOfABatchIsExportedAlone()
    {
        await using var crm = await FakeCreatio.StartAsync();
        await using var host = await CrmFactory.StartAsync(_db, new Dictionary<string, string?>
        {
            ["CRM_SERVICE_URL"] = crm.Url, ["CRM_MD_ENABLED"] = "true", ["CRM_MD_PATH"] = MarkdownPath,
        });
        await host.StopWorkerAsync();
        await QueueExportAsync("conv_creatio_1");
        await QueueExportAsync("conv_creatio_2");
        var callsBefore = _db.Analysis.GetLeadsCalls;
        var batch = (await host.Queue.ClaimBatchAsync(3)).Select(job => new JobContext(job, host.Queue)).ToList();
        Assert.Equal(2, batch.Count);

        await using var scope = host.Services.CreateAsyncScope();
        var verdicts = await host.ExportHandler(scope).HandleBatchAsync(batch, CancellationToken.None);

        Assert.All(verdicts, v => Assert.Equal(JobOutcome.Succeeded, v.Outcome));
        Assert.Equal(2, crm.Requests.Count);
        Assert.Equal(2, _db.Analysis.GetLeadsCalls - callsBefore);
        // Each lead recorded and completed in a transaction of its own.
        Assert.Equal(2, await CountAsync("SELECT count(DISTINCT xmin::text) FROM crm.exports WHERE state = 'done'"));
    }

    private async Task<List<string>> ExportedAsync()
    {
        await using var command = _db.DataSource.CreateCommand("SELECT conversation_id FROM crm.exports WHERE state = 'done' ORDER BY conversation_id");
        await using var reader = await command.ExecuteReaderAsync();
        var exported = new List<string>();
        while (await reader.ReadAsync())
        {
            exported.Add(reader.GetString(0));
        }
        return exported;
    }
}
