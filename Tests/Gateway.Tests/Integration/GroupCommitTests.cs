using System.Net;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>Group commit under real concurrency: every webhook gets its own, correct answer.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task ParallelDistinctWebhooksEachGetOneRowAndOneJob()
    {
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("group"));
        var signer = new WebhookSigner(GatewayHost.Secret);
        var conversations = Enumerable.Range(0, 200).Select(i => $"conv_group_{i}_{Guid.NewGuid():N}").ToList();

        var outcomes = await Task.WhenAll(conversations.Select(async c =>
        {
            var response = await host.Client.SendAsync(signer.CreateRequest(Fixtures.Transcription(c)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await GatewayFixture.JsonAsync(response);
            Assert.Equal(c, json.GetProperty("conversation_id").GetString());
            return json.GetProperty("outcome").GetString();
        }));

        Assert.All(outcomes, o => Assert.Equal("stored", o));
        Assert.Equal(200, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Equal(200, await host.ScalarAsync("SELECT count(DISTINCT job_key) FROM jobs.jobs WHERE queue = 'analysis' AND kind = 'analyze'"));
        Assert.Equal(200, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'"));
        Assert.Equal(0, await host.ScalarAsync(
            "SELECT count(*) FROM jobs.jobs j JOIN ingest.webhook_events e ON e.id = (j.payload->>'event_id')::bigint WHERE j.queue = 'analysis' AND (e.conversation_id <> j.job_key)"));
    }

    [Fact]
    public async Task SameWebhookPostedTwiceConcurrentlyIsStoredOnceAndAnsweredDuplicateOnce()
    {
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("group"));
        var signer = new WebhookSigner(GatewayHost.Secret);
        var conversations = Enumerable.Range(0, 60).Select(i => $"conv_twice_{i}_{Guid.NewGuid():N}").ToList();

        var outcomes = await Task.WhenAll(conversations.Concat(conversations).Select(async c =>
        {
            var response = await host.Client.SendAsync(signer.CreateRequest(Fixtures.Transcription(c)));
            return (Conversation: c, Outcome: (await GatewayFixture.JsonAsync(response)).GetProperty("outcome").GetString());
        }));

        foreach (var group in outcomes.GroupBy(o => o.Conversation))
        {
            Assert.Equal(["duplicate", "stored"], group.Select(o => o.Outcome).Order());
        }
        Assert.Equal(60, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Equal(60, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'"));
    }
}
