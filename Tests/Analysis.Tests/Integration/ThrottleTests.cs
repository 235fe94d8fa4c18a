using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>The global LLM throttle, with two service instances on one database. Not run beside other tests: spacing is measured.</summary>
[Collection(nameof(ThrottleTests))]
[CollectionDefinition(nameof(ThrottleTests), DisableParallelization = true)]
public sealed class ThrottleTests
{
    // Starts are confirmed on the database's clock by the client pipeline's last step, and the fake server sees
    // the request a little later (the HTTP send, the server's dispatch), a delay that varies from call to call
    // with the machine's load. Lower bounds (a call never starts before its slot) only need timer slack; the gap
    // between two arrivals needs room for that variation: a tenth of the spacing, far below what a cold client's
    // late first request took off the gap before the start was confirmed at the send (up to 216 ms measured).
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(15);
    private static readonly TimeSpan SendJitter = TimeSpan.FromMilliseconds(60);

    private static Dictionary<string, string?> Settings(FakeOpenAiServer llm, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-test",
            ["OPENAI_BASE_URL"] = llm.BaseUrl,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    [Fact]
    public async Task MaxInFlightAndMinSpacingHoldAcrossTwoInstances()
    {
        using var metrics = new MetricsProbe();
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        // Longer than the spacing, so a second call starts while the first is in flight and the limit of 2 matters.
        llm.Latency = TimeSpan.FromMilliseconds(900);
        // No warm-up of the client: the first calls after start, while the SDK is still cold, count as well.
        const int jobs = 8;
        for (var i = 0; i < jobs; i++)
        {
            await db.StoreTranscriptionAsync(conversationId: $"conv_spacing_{i}");
        }
        // Each instance runs 3 claim loops, so 6 jobs compete for 2 slots spaced 600 ms apart.
        var settings = Settings(llm, ("ANALYZE_MAX_CONCURRENCY", "2"), ("ANALYZE_MIN_MS", "600"), ("Jobs:analysis:Concurrency", "3"));
        await using var first = await AnalysisFactory.StartAsync(db, settings);
        await using var second = await AnalysisFactory.StartAsync(db, settings);

        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == jobs, "every job analysed");

        var requests = llm.Requests;
        Assert.Equal(jobs, requests.Count);
        Assert.True(llm.MaxInFlight <= 2, $"{llm.MaxInFlight} calls were in flight at once; the limit is 2.");
        var starts = requests.Select(r => r.ArrivedUtc).Order().ToList();
        var gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(600) - SendJitter, $"Two calls started {gap.TotalMilliseconds:0} ms apart; the minimum is 600 ms."));
        // Over the whole run the spacing holds exactly: n calls span at least n - 1 spacings, minus one send delay.
        Assert.True(starts[^1] - starts[0] >= (TimeSpan.FromMilliseconds(600) * (jobs - 1)) - SendJitter);
        // Both instances took part, so the limits above held between instances, not just inside one; each
        // recorded its throttle waits.
        foreach (var host in new[] { first, second })
        {
            var scope = host.Services.GetRequiredService<IMeterFactory>();
            Assert.Contains(metrics.Of("analysis.attempts", scope), m => (string?)m.Tags["outcome"] == "stored");
            Assert.NotEmpty(metrics.Of("analysis.throttle.wait", scope));
        }
        Assert.Equal(jobs, metrics.Of("analysis.throttle.wait").Count);
    }

    [Fact]
    public async Task ARateLimitWithRetryAfterPausesEveryInstance()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.Reply = n => n == 1 ? FakeLlmReply.RateLimited("2") : FakeLlmReply.Ok();
        const int jobs = 3;
        for (var i = 0; i < jobs; i++)
        {
            await db.StoreTranscriptionAsync(conversationId: $"conv_429_{i}");
        }
        var settings = Settings(llm, ("ANALYZE_MAX_CONCURRENCY", "1"), ("ANALYZE_MIN_MS", "0"));
        await using var first = await AnalysisFactory.StartAsync(db, settings);
        await using var second = await AnalysisFactory.StartAsync(db, settings);

        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == jobs, "every job analysed");

        var requests = llm.Requests;
        Assert.Equal(jobs + 1, requests.Count);
        var rateLimited = requests[0];
        // No instance called the provider again before the Retry-After had passed.
        Assert.All(requests.Skip(1), r => Assert.True(r.ArrivedUtc >= rateLimited.RespondedUtc + TimeSpan.FromSeconds(2) - ClockSlack,
            $"A call started {(r.ArrivedUtc - rateLimited.RespondedUtc).TotalMilliseconds:0} ms after the 429; Retry-After was 2 s."));
        // The 429 cost the job no attempt.
        Assert.Equal([1, 1, 1], await db.ListAsync("SELECT attempts FROM jobs.jobs WHERE queue = 'analysis' ORDER BY id", r => r.GetInt32(0)));
    }

    [Fact]
    public async Task ASlotHeldByACrashedInstanceIsFreedWhenItsLeaseExpires()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var host = await AnalysisFactory.StartAsync(db, Settings(llm, ("ANALYZE_MAX_CONCURRENCY", "1")));

        // A process that died mid-call: its lease still counts as in flight until it expires, 1.5 s from now.
        var expiresAt = await db.ScalarAsync<DateTime>("""
            INSERT INTO analysis.throttle_leases (id, throttle, holder, acquired_at, starts_at, expires_at)
            VALUES (gen_random_uuid(), 'llm', 'crashed:1', now(), now(), now() + interval '1500 milliseconds')
            RETURNING expires_at
            """);
        await db.StoreTranscriptionAsync();

        await AnalysisDatabase.EventuallyAsync(async () => await db.CountAsync("SELECT count(*) FROM analysis.analyses") == 1, "the job analysed");

        Assert.True(Assert.Single(llm.Requests).ArrivedUtc >= expiresAt.ToUniversalTime() - ClockSlack);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM analysis.throttle_leases"));
    }
}
