using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Analysis.Tests.Integration;

public sealed class PipelineTests
{
    private static Dictionary<string, string?> OpenAi(FakeOpenAiServer llm, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-test",
            ["OPENAI_BASE_URL"] = llm.BaseUrl,
            ["ANALYZE_MODEL"] = "gpt-4o-mini",
            ["Analysis:Prices:gpt-4o-mini:InputPerMillion"] = "0.15",
            ["Analysis:Prices:gpt-4o-mini:OutputPerMillion"] = "0.60",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task TheStrictSchemaIsSentAndTheAnswerStoredWithItsCrmJobAndNudge()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var crm = await FakeCrmServer.StartAsync();
        var (eventId, jobId, conversation) = await db.StoreTranscriptionAsync();
        await using var host = await AnalysisFactory.StartAsync(db, OpenAi(llm, ("services:crm:grpc:0", crm.Address)));

        await AnalysisDatabase.EventuallyAsync(async () => await db.ScalarAsync<string>(
            "SELECT state FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)) == "done", "the job is done");

        var request = Assert.Single(llm.Requests).Body;
        Assert.Equal("Bearer sk-test", llm.Requests[0].Authorization);
        Assert.Equal("gpt-4o-mini", request.GetProperty("model").GetString());
        var format = request.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var schema = format.GetProperty("json_schema");
        Assert.True(schema.GetProperty("strict").GetBoolean());
        var properties = schema.GetProperty("schema").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["client_name", "intent", "outcome", "phone", "quality", "recommendations", "summary_ru", "topic"], properties);
        Assert.Equal(8, schema.GetProperty("schema").GetProperty("required").GetArrayLength());
        Assert.False(schema.GetProperty("schema").GetProperty("additionalProperties").GetBoolean());
        var userMessage = request.GetProperty("messages")[1].GetProperty("content").ToString();
        Assert.Contains("U: Иван Петров, ivan.petrov@example.com.", userMessage);
        Assert.DoesNotContain("lookup_tariffs", userMessage);

        var row = (await db.ListAsync("""
            SELECT event_id, version, model, prompt_version, result::text, input_tokens, output_tokens, cost_usd, latency_ms
            FROM analysis.analyses
            """, r => (EventId: r.GetInt64(0), Version: r.GetInt32(1), Model: r.GetString(2), Prompt: r.GetString(3), Result: r.GetString(4),
                Input: r.GetInt32(5), Output: r.GetInt32(6), Cost: r.GetDecimal(7), Latency: r.GetDouble(8)))).Single();
        Assert.Equal(eventId, row.EventId);
        Assert.Equal(1, row.Version);
        Assert.Equal("gpt-4o-mini", row.Model);
        Assert.Equal("verdict-v1", row.Prompt);
        Assert.Equal(321, row.Input);
        Assert.Equal(123, row.Output);
        Assert.Equal(Math.Round(((321 * 0.15m) + (123 * 0.60m)) / 1_000_000m, 6), row.Cost);
        Assert.True(row.Latency > 0);
        using var result = JsonDocument.Parse(row.Result);
        // Name, phone and email are stored encrypted, with the phone's keyed hash beside them for lookup.
        var protector = host.Services.GetRequiredService<PiiProtector>();
        Assert.StartsWith("enc:v1:", result.RootElement.GetProperty("phone").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("375291234567", row.Result, StringComparison.Ordinal);
        Assert.Equal("+375291234567", protector.Unprotect(result.RootElement.GetProperty("phone").GetString()));
        Assert.Equal(5, result.RootElement.GetProperty("quality").GetInt32());
        Assert.Equal("ivan.petrov@example.com", protector.Unprotect(result.RootElement.GetProperty("email").GetString()));
        Assert.Equal(protector.PhoneLookupHash("+375291234567"), await db.ScalarAsync<string>("SELECT phone_hash FROM analysis.analyses"));

        var analysisId = await db.ScalarAsync<long>("SELECT id FROM analysis.analyses");
        var crmPayload = await db.ScalarAsync<string>(
            "SELECT payload::text FROM jobs.jobs WHERE queue = 'crm' AND kind = 'export' AND job_key = @key", ("key", conversation));
        Assert.Equal(analysisId, JsonDocument.Parse(crmPayload!).RootElement.GetProperty("analysis_id").GetInt64());
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736", (await db.ScalarAsync<string>("SELECT trace_parent FROM jobs.jobs WHERE queue = 'crm'"))![..35]);
        await AnalysisDatabase.EventuallyAsync(() => Task.FromResult(crm.Nudges.Contains(conversation)), "the CRM is nudged", 10);
    }

    [Fact]
    public async Task WithoutAnApiKeyTheOfflineAnalyzerFillsTheVerdict()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        var (_, jobId, conversation) = await db.StoreTranscriptionAsync("post_call_transcription_pt.json");
        await using var host = await AnalysisFactory.StartAsync(db, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" });

        await AnalysisDatabase.EventuallyAsync(async () => await db.ScalarAsync<string>(
            "SELECT state FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", jobId)) == "done", "the job is done");

        var reply = await host.Client.GetAnalysisAsync(new GetAnalysisRequest { ConversationId = conversation });
        Assert.Equal("offline-rules/1", reply.Model);
        Assert.Equal("Maria da Silva", reply.Verdict.ClientName);
        Assert.Equal("+5511912345678", reply.Verdict.Phone);
        Assert.Equal(0, reply.InputTokens);
        Assert.Equal("webhook", reply.Reason);
        Assert.Equal("system:pipeline", reply.RequestedBy);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));
    }

    [Fact]
    public async Task WithAutoAnalysisOffEventsWaitForAnExplicitRequestWhichAddsVersions()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        var (eventId, autoJob, conversation) = await db.StoreTranscriptionAsync();
        await using var host = await AnalysisFactory.StartAsync(db, OpenAi(llm, ("ANALYZE_AUTO", "false")));

        // The worker looked at the automatic job and put it aside, without spending an attempt.
        await AnalysisDatabase.EventuallyAsync(async () => await db.ScalarAsync<bool>(
            "SELECT state = 'queued' AND run_at > now() + interval '1 minute' FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", autoJob)),
            "the automatic job is put aside");
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT attempts FROM jobs.jobs WHERE queue = 'analysis' AND id = @id", ("id", autoJob)));
        Assert.Empty(llm.Requests);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.GetAnalysisAsync(new GetAnalysisRequest { ConversationId = conversation }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        Assert.Empty((await host.Client.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversation })).Analyses);
        var first = await host.Client.AnalyzeNowAsync(new AnalyzeNowRequest { ConversationId = conversation, Reason = "operator request", RequestedBy = "key_ops" });
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 1, "version 1");
        var second = await host.Client.AnalyzeNowAsync(new AnalyzeNowRequest { ConversationId = conversation, Reason = "rectification", RequestedBy = "key_dpo" });
        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 2, "version 2");

        Assert.NotEqual(first.JobId, second.JobId);
        var latest = await host.Client.GetAnalysisAsync(new GetAnalysisRequest { ConversationId = conversation });
        Assert.Equal(2, latest.Version);
        Assert.Equal("verdict-v1", latest.PromptVersion);
        Assert.Equal("Иван Петров", latest.Verdict.ClientName);
        Assert.Equal(5, latest.Verdict.Quality);
        var versions = (await host.Client.ListAnalysesAsync(new ListAnalysesRequest { ConversationId = conversation })).Analyses;
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(["operator request", "rectification"], versions.Select(v => v.Reason));
        Assert.Equal(["key_ops", "key_dpo"], versions.Select(v => v.RequestedBy));
        Assert.All(versions, v => Assert.Equal(eventId, v.EventId));
        Assert.All(versions, v => Assert.Equal("Иван Петров", v.Verdict.ClientName));
        Assert.Equal(2, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'crm'"));

        var stats = await host.Client.GetQueueStatsAsync(new QueueStatsRequest());
        Assert.Equal(1, stats.Queued);   // the automatic job, still waiting
        Assert.Equal(2, stats.Done);
        Assert.Equal(0, stats.Dead);
    }

    [Fact]
    public async Task AnalyzeNowAndGetAnalysisAnswerClearErrorsForBadInput()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var host = await AnalysisFactory.StartAsync(db, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" });

        var empty = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.AnalyzeNowAsync(new AnalyzeNowRequest()));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.AnalyzeNowAsync(new AnalyzeNowRequest { ConversationId = "conv_nope" }));
        var emptyList = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.ListAnalysesAsync(new ListAnalysesRequest()));
        var submit = await host.Client.SubmitAsync(new SubmitRequest { ConversationId = "conv_nope" });

        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, emptyList.StatusCode);
        Assert.True(submit.Accepted);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'"));
    }
}
