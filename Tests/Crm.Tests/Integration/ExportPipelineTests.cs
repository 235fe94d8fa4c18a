using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Crm.Tests.Integration;

/// <summary>The service as deployed: real Postgres, the export queue and worker, a fake CRM over HTTP, the gRPC API.</summary>
public sealed class ExportPipelineTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private CrmDatabase _db = null!;
    private FakeCreatio _crm = null!;

    public async Task InitializeAsync()
    {
        _db = await CrmDatabase.CreateAsync();
        _crm = await FakeCreatio.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _crm.DisposeAsync();
        await _db.DisposeAsync();
        _folder.Dispose();
    }

    private Task<CrmFactory> StartHostAsync(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["CRM_SERVICE_URL"] = _crm.Url };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return CrmFactory.StartAsync(_db, all);
    }

    private static Task<ExportStatusReply> StatusAsync(CrmFactory host, string conversationId) =>
        host.Client.GetExportStatusAsync(new ExportStatusRequest { ConversationId = conversationId }).ResponseAsync;

    private static async Task WaitForStateAsync(CrmFactory host, string conversationId, string state) =>
        await Eventually.TrueAsync(async () => (await StatusAsync(host, conversationId)).State == state, $"{conversationId} {state}");

    private static string FixtureResultJson => Leads.FixtureResult().GetRawText();

    [Fact]
    public async Task AnAnalysedConversationBecomesOneLeadAndItsExportIsRecorded()
    {
        var markdown = _folder.File("memory-bank/crm.md");
        await using var host = await StartHostAsync(("CRM_MD_ENABLED", "true"), ("CRM_MD_PATH", markdown));
        var analysisId = await _db.SeedAnalysisAsync(Leads.ConversationId, FixtureResultJson);
        await host.EnqueueExportAsync(Leads.ConversationId, analysisId);

        await WaitForStateAsync(host, Leads.ConversationId, "done");

        var status = await StatusAsync(host, Leads.ConversationId);
        var recordId = LeadRecordId.For(Leads.ConversationId).ToString("D");
        Assert.Equal(1, status.Attempts);
        Assert.Equal("", status.LastError);
        Assert.Equal(recordId, status.CrmRecordId);
        Assert.Equal("creatio+markdown", status.Sink);
        Assert.Equal(analysisId, status.AnalysisId);
        Assert.NotNull(status.ExportedAt);
        var listed = await host.Client.GetExportStatesAsync(new ExportStatesRequest { ConversationIds = { Leads.ConversationId, "conv_never_exported" } });
        Assert.Equal(status, Assert.Single(listed.Exports));
        Assert.Equal(1, _crm.AcceptedById[recordId]);
        Assert.Contains("Иван Петров", Assert.Single(_crm.Requests).Body);
        Assert.Contains("## " + Leads.ConversationId, await File.ReadAllTextAsync(markdown));

        // What is stored about the request and response holds no contact data.
        var summaries = await _db.ScalarAsync<string>(
            "SELECT request_summary::text || response_summary::text FROM crm.exports WHERE conversation_id = @c", ("c", Leads.ConversationId));
        Assert.Contains("UsrQualityScore", summaries);
        Assert.Contains("\"result_code\": 0", summaries);
        Assert.DoesNotContain("Иван", summaries);
        Assert.DoesNotContain("375291234567", summaries);

        // Contact data never reaches logs above Debug.
        Assert.NotEmpty(host.Logs.GetSnapshot());
        Assert.All(host.Logs.GetSnapshot().Where(e => e.Level > LogLevel.Debug).Select(e => e.Line()), line =>
        {
            Assert.DoesNotContain("Иван", line);
            Assert.DoesNotContain("375291234567", line);
            Assert.DoesNotContain("ivan.petrov", line);
        });
    }

    public static TheoryData<FakeCreatioMode, string> Failures => new()
    {
        { FakeCreatioMode.ResultCodeMinusOne, "resultCode -1: NotAllowedURLMessage" },
        { FakeCreatioMode.EmptyResult, "Empty SaveWebFormObjectDataResult" },
        { FakeCreatioMode.ServerError, "HTTP 500" },
        { FakeCreatioMode.Hang, "Timed out after 500 ms" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task AFailedExportIsRecordedWithItsReasonAndRetriedLater(FakeCreatioMode failure, string reason)
    {
        _crm.Mode = failure;
        await using var host = await StartHostAsync(("CRM_TIMEOUT_MS", "500"), ("CRM_MAX_RETRIES", "0"), ("Crm:Breaker:FailureThreshold", "1000"));
        var analysisId = await _db.SeedAnalysisAsync("conv_failing", FixtureResultJson);
        await host.EnqueueExportAsync("conv_failing", analysisId);

        await Eventually.TrueAsync(async () =>
        {
            var status = await StatusAsync(host, "conv_failing");
            return status.Attempts >= 1 && status.LastError.Contains(reason, StringComparison.Ordinal);
        }, "a recorded failure");
        Assert.Empty(_crm.AcceptedById);

        _crm.Mode = FakeCreatioMode.Ok;
        await WaitForStateAsync(host, "conv_failing", "done");
        var done = await StatusAsync(host, "conv_failing");
        Assert.True(done.Attempts >= 2);
        Assert.Equal("", done.LastError);
        Assert.Equal(1, _crm.AcceptedById[LeadRecordId.For("conv_failing").ToString("D")]);
    }

    [Fact]
    public async Task TheBreakerOpensAfterFiveFailuresSendsNothingWhileOpenAndClosesAfterRecovery()
    {
        _crm.Mode = FakeCreatioMode.ServerError;
        await using var host = await StartHostAsync(
            ("CRM_MAX_RETRIES", "0"), ("Jobs:crm:Concurrency", "1"), ("Crm:Breaker:BreakDuration", "00:00:02"));
        var breaker = host.Services.GetRequiredService<CreatioCircuit>();
        var requestsWhenOpened = -1;
        breaker.StateChanged += state =>
        {
            if (state == CircuitState.Open && requestsWhenOpened < 0)
            {
                requestsWhenOpened = _crm.Requests.Count;
            }
        };

        var ids = Enumerable.Range(1, 8).Select(i => $"conv_breaker_{i}").ToArray();
        foreach (var id in ids)
        {
            await host.EnqueueExportAsync(id, await _db.SeedAnalysisAsync(id, FixtureResultJson));
        }

        await Eventually.TrueAsync(async () =>
            (await host.Client.GetCircuitStateAsync(new CircuitStateRequest())).State == "open", "breaker open");
        Assert.Equal(5, requestsWhenOpened);
        var open = await host.Client.GetCircuitStateAsync(new CircuitStateRequest());
        Assert.True(open.ConsecutiveFailures >= 5);
        Assert.NotNull(open.OpenedAt);

        // Jobs that met the open breaker were snoozed: still queued, no attempt spent, nothing sent.
        await Eventually.TrueAsync(async () =>
        {
            foreach (var id in ids)
            {
                var s = await StatusAsync(host, id);
                if (s.Attempts == 0 && s.LastError.Contains("circuit breaker is open", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }, "an export snoozed by the open breaker");

        _crm.Mode = FakeCreatioMode.Ok;
        foreach (var id in ids)
        {
            await WaitForStateAsync(host, id, "done");
        }
        Assert.Equal("closed", (await host.Client.GetCircuitStateAsync(new CircuitStateRequest())).State);
        Assert.Equal(ids.Select(id => LeadRecordId.For(id).ToString("D")).Order(), _crm.AcceptedById.Keys.Order());
        Assert.All(_crm.AcceptedById.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task ARetriedExportSendsTheSameIdAndReusesTheJob()
    {
        await using var host = await StartHostAsync();
        var analysisId = await _db.SeedAnalysisAsync("conv_again", FixtureResultJson);
        var job = await host.EnqueueExportAsync("conv_again", analysisId);
        await WaitForStateAsync(host, "conv_again", "done");

        var retry = await host.Client.RetryExportAsync(new RetryExportRequest { ConversationId = "conv_again" });
        Assert.Equal(job.JobId, retry.JobId);
        var recordId = LeadRecordId.For("conv_again");
        await Eventually.TrueAsync(() => _crm.RequestsFor(recordId) == 2, "the second export");
        await WaitForStateAsync(host, "conv_again", "done");

        Assert.Equal(2, _crm.AcceptedById[recordId.ToString("D")]);
        Assert.All(_crm.Requests, r => Assert.Equal(recordId.ToString("D"), r.RecordId));
        Assert.Equal(2, (await StatusAsync(host, "conv_again")).Attempts);
    }

    [Fact]
    public async Task EveryAttemptIsListedOnceWithItsOutcomeAndWhoAskedForIt()
    {
        _crm.Mode = FakeCreatioMode.ResultCodeMinusOne;
        await using var host = await StartHostAsync(("Jobs:crm:MaxAttempts", "2"));
        var analysisId = await _db.SeedAnalysisAsync("conv_attempts", FixtureResultJson);
        await host.EnqueueExportAsync("conv_attempts", analysisId);
        await WaitForStateAsync(host, "conv_attempts", "dead");

        _crm.Mode = FakeCreatioMode.Ok;
        await host.Client.RetryExportAsync(new RetryExportRequest { ConversationId = "conv_attempts", RequestedBy = "key_auditor7" });
        await WaitForStateAsync(host, "conv_attempts", "done");

        var attempts = (await host.Client.ListExportAttemptsAsync(new ExportStatusRequest { ConversationId = "conv_attempts" })).Attempts;
        Assert.Equal(["retrying", "dead", "exported"], attempts.Select(a => a.Outcome));
        Assert.Equal(["system:pipeline", "system:pipeline", "key_auditor7"], attempts.Select(a => a.RequestedBy));
        Assert.All(attempts, a =>
        {
            Assert.Equal(analysisId, a.AnalysisId);
            Assert.Equal(1, a.AnalysisVersion);
            Assert.Equal(LeadRecordId.For("conv_attempts").ToString("D"), a.CrmRecordId);
            Assert.True(a.FinishedAt.ToDateTimeOffset() >= a.StartedAt.ToDateTimeOffset());
        });
        Assert.Contains("NotAllowedURLMessage", attempts[0].Error, StringComparison.Ordinal);
        Assert.Empty(attempts[2].Error);
        Assert.True(attempts[0].AttemptId < attempts[1].AttemptId && attempts[1].AttemptId < attempts[2].AttemptId);
        Assert.Empty((await host.Client.ListExportAttemptsAsync(new ExportStatusRequest { ConversationId = "conv_none" })).Attempts);
        // Immutable: the database refuses to change an attempt.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => _db.ExecuteAsync("UPDATE crm.export_attempts SET outcome = 'exported'"));
    }

    [Fact]
    public async Task ADeadExportIsReportedAndCanBeRetried()
    {
        _crm.Mode = FakeCreatioMode.ResultCodeMinusOne;
        await using var host = await StartHostAsync(("Jobs:crm:MaxAttempts", "2"));
        var analysisId = await _db.SeedAnalysisAsync("conv_dead", FixtureResultJson);
        await host.EnqueueExportAsync("conv_dead", analysisId);

        await WaitForStateAsync(host, "conv_dead", "dead");
        var dead = await StatusAsync(host, "conv_dead");
        Assert.Equal(2, dead.Attempts);
        Assert.Contains("NotAllowedURLMessage", dead.LastError);
        Assert.Equal(1, (await host.Client.GetQueueStatsAsync(new())).Dead);

        _crm.Mode = FakeCreatioMode.Ok;
        await host.Client.RetryExportAsync(new RetryExportRequest { ConversationId = "conv_dead" });
        await WaitForStateAsync(host, "conv_dead", "done");
        Assert.Equal(1, _crm.AcceptedById[LeadRecordId.For("conv_dead").ToString("D")]);
    }

    [Fact]
    public async Task AnExportWaitingForAnOpenBreakerPastTheSnoozeLimitSpendsItsAttemptsAndEndsDead()
    {
        _crm.Mode = FakeCreatioMode.ServerError;
        await using var host = await StartHostAsync(
            ("CRM_MAX_RETRIES", "0"), ("Crm:Breaker:FailureThreshold", "1"), ("Crm:Breaker:BreakDuration", "01:00:00"),
            ("Crm:SnoozeLimit", "00:00:00"), ("Jobs:crm:MaxAttempts", "3"));
        var analysisId = await _db.SeedAnalysisAsync("conv_outage", FixtureResultJson);
        await host.EnqueueExportAsync("conv_outage", analysisId);

        await WaitForStateAsync(host, "conv_outage", "dead");
        var dead = await StatusAsync(host, "conv_outage");
        Assert.Equal(3, dead.Attempts);
        Assert.Contains("snooze limit", dead.LastError);
        Assert.Single(_crm.Requests); // the breaker opened after the first; nothing was sent after it
    }

    [Fact]
    public async Task WithoutACrmUrlTheMarkdownFileIsTheOnlySink()
    {
        var markdown = _folder.File("only/crm.md");
        await using var host = await StartHostAsync(("CRM_SERVICE_URL", ""), ("CRM_MD_ENABLED", "true"), ("CRM_MD_PATH", markdown));
        var analysisId = await _db.SeedAnalysisAsync("conv_md", FixtureResultJson);
        await host.EnqueueExportAsync("conv_md", analysisId);

        await WaitForStateAsync(host, "conv_md", "done");
        Assert.Equal("markdown", (await StatusAsync(host, "conv_md")).Sink);
        Assert.Contains("## conv_md", await File.ReadAllTextAsync(markdown));
        Assert.Empty(_crm.Requests);
        Assert.Contains(host.Logs.GetSnapshot(), e => e.Level == LogLevel.Warning && e.Message.Contains("Markdown file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnalysisWhoseEventWasErasedIsNotExported()
    {
        // No key crosses schemas any more: the CRM service's own rows are erased through its EraseConversations RPC,
        // not by a cascade from the gateway's events; a job that outlived the erasure finds nothing to send.
        await using var host = await StartHostAsync();
        var erased = await _db.SeedAnalysisAsync("conv_erased", FixtureResultJson);
        _db.Analysis.Erase("conv_erased");
        await host.EnqueueExportAsync("conv_erased", erased);
        await WaitForStateAsync(host, "conv_erased", "done");
        Assert.Equal(0, _crm.RequestsFor(LeadRecordId.For("conv_erased")));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM crm.exports"));
    }

    [Fact]
    public async Task AReanalysisUpdatesTheSameLeadAndALateOlderJobDoesNotOverwriteIt()
    {
        await using var host = await StartHostAsync();
        var first = await _db.SeedAnalysisAsync("conv_re", """{"topic":"Первая версия","client_name":"Анна"}""");
        await host.EnqueueExportAsync("conv_re", first);
        await WaitForStateAsync(host, "conv_re", "done");

        var second = await _db.SeedReanalysisAsync("conv_re", """{"topic":"Вторая версия","client_name":"Анна"}""");
        await host.Queue.EnqueueAsync("export", "conv_re", $$"""{"analysis_id": {{second}}}""", null);
        await Eventually.TrueAsync(() => _crm.Requests.Count == 2, "the re-export");
        // A job for the first analysis that arrives late sends nothing.
        var late = await host.Queue.EnqueueAsync("export", "conv_re", $$"""{"analysis_id": {{first}}}""", null);
        await Eventually.TrueAsync(async () => await _db.ScalarAsync<string>(
            "SELECT state FROM jobs.jobs WHERE queue = 'crm' AND id = @id", ("id", late.JobId)) == "done", "the late job");

        Assert.Equal(2, _crm.Requests.Count);
        var recordId = LeadRecordId.For("conv_re").ToString("D");
        Assert.All(_crm.Requests, r => Assert.Equal(recordId, r.RecordId));
        Assert.Contains("Вторая версия", _crm.Requests.Last().Body);
        Assert.Equal(second, await _db.ScalarAsync<long>("SELECT analysis_id FROM crm.exports WHERE conversation_id = 'conv_re'"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheExportSpanContinuesTheConversationsTrace(bool jobCarriesTheTrace)
    {
        const string traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "VoiceAnalytics.Crm",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await StartHostAsync();
        var analysisId = await _db.SeedAnalysisAsync("conv_traced", FixtureResultJson, traceParent: traceParent);
        // Without a trace on the job, the export continues the one the analysis service hands over with the lead.
        await host.EnqueueExportAsync("conv_traced", analysisId, jobCarriesTheTrace ? traceParent : null);
        await WaitForStateAsync(host, "conv_traced", "done");
        // The state is stored inside the span: the span itself ends a moment later.
        bool Ended()
        {
            lock (spans)
            {
                return spans.Any(s => (string?)s.GetTagItem("conversation.id") == "conv_traced");
            }
        }
        await Eventually.TrueAsync(Ended, "the export span ended", seconds: 10);

        Activity span;
        lock (spans)
        {
            span = Assert.Single(spans, s => (string?)s.GetTagItem("conversation.id") == "conv_traced");
        }
        Assert.Equal("crm export", span.OperationName);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.TraceId.ToHexString());
    }

    [Fact]
    public async Task AnExportWaitsWithoutSpendingAttemptsWhileTheAnalysisServiceIsDownAndIsSentWhenItIsBack()
    {
        // The services start in parallel: the CRM may claim an export before the analysis service answers.
        await using var host = await StartHostAsync(("Jobs:crm:MaxAttempts", "2"));
        var analysisId = await _db.SeedAnalysisAsync("conv_waiting", FixtureResultJson);
        await _db.Analysis.StopAsync();
        var job = await host.EnqueueExportAsync("conv_waiting", analysisId);

        await Eventually.TrueAsync(() => Task.FromResult(host.Logs.GetSnapshot().Count(e =>
            e.Level == LogLevel.Warning && e.Message.Contains("Analysis service unavailable", StringComparison.Ordinal)) >= 3), "three waits");
        // More tries than the job has attempts, and none spent: the job is still queued, nothing was sent.
        Assert.Contains(await _db.ScalarAsync<string>("SELECT state FROM jobs.jobs WHERE id = @id", ("id", job.JobId)), new[] { "queued", "running" });
        Assert.Empty(_crm.Requests);

        await _db.Analysis.StartAgainAsync();
        await WaitForStateAsync(host, "conv_waiting", "done");
        Assert.Equal(1, (await StatusAsync(host, "conv_waiting")).Attempts);
        Assert.Equal(1, _crm.RequestsFor(LeadRecordId.For("conv_waiting")));
    }

    [Fact]
    public async Task TheApiAnswersNotFoundForUnknownConversationsAndReportsQueueStats()
    {
        await using var host = await StartHostAsync();
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await
            StatusAsync(host, "conv_never"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var noRetry = await Assert.ThrowsAsync<RpcException>(async () => await
            host.Client.RetryExportAsync(new RetryExportRequest { ConversationId = "conv_never" }));
        Assert.Equal(StatusCode.NotFound, noRetry.StatusCode);
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await StatusAsync(host, ""));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);

        Assert.True((await host.Client.NudgeExportAsync(new NudgeExportRequest { ConversationId = "x" })).Accepted);
        var analysisId = await _db.SeedAnalysisAsync("conv_stats", FixtureResultJson);
        await host.EnqueueExportAsync("conv_stats", analysisId);
        await WaitForStateAsync(host, "conv_stats", "done");
        var stats = await host.Client.GetQueueStatsAsync(new());
        Assert.Equal(1, stats.Done);
        Assert.Equal(0, stats.Queued);
        Assert.Equal("closed", (await host.Client.GetCircuitStateAsync(new CircuitStateRequest())).State);

        var health = new Health.HealthClient(host.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "voiceanalytics.crm.v1.Crm" })).Status);
    }
}
