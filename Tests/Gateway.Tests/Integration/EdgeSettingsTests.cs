using System.Net;
using System.Net.Http.Headers;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>The configurable parts of the edge: allowlist, rate limit, body limit, secret rotation.</summary>
public sealed class EdgeSettingsTests
{
    private static async Task<GatewayHost> StartAsync(Dictionary<string, string?> settings) =>
        await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("edge"), settings);

    private static string NewConversation() => $"conv_edge_{Guid.NewGuid():N}";

    [Fact]
    public async Task SourceOutsideTheAllowlistIsRejectedWith403()
    {
        await using var host = await StartAsync(new() { ["WEBHOOK_ALLOWED_CIDRS"] = "203.0.113.10/32, 10.0.0.0/8" });
        var conversation = NewConversation();

        var response = await host.Client.SendAsync(new WebhookSigner(GatewayHost.Secret).CreateRequest(Fixtures.Transcription(conversation)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("ip_not_allowed", (await GatewayFixture.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Equal(0, await host.EventCountAsync(conversation));
    }

    [Fact]
    public async Task SourceInsideTheAllowlistIsAccepted()
    {
        await using var host = await StartAsync(new() { ["WEBHOOK_ALLOWED_CIDRS"] = "203.0.113.10/32,127.0.0.0/8,::1/128" });
        var conversation = NewConversation();

        var response = await host.Client.SendAsync(new WebhookSigner(GatewayHost.Secret).CreateRequest(Fixtures.Transcription(conversation)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.EventCountAsync(conversation));
    }

    [Fact]
    public async Task WebhooksOverThePerSourceLimitAreRejectedWith429()
    {
        await using var host = await StartAsync(new() { ["WEBHOOK_RATE_LIMIT_PER_MINUTE"] = "3" });
        var signer = new WebhookSigner(GatewayHost.Secret);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(signer.CreateRequest(Fixtures.Transcription(NewConversation())))).StatusCode);
        }
        var conversation = NewConversation();

        var response = await host.Client.SendAsync(signer.CreateRequest(Fixtures.Transcription(conversation)));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limited", (await GatewayFixture.JsonAsync(response)).GetProperty("error").GetString());
        // All three were sent within the last minute, so the window has room only once the first slides out.
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(60));
        Assert.Equal(0, await host.EventCountAsync(conversation));
    }

    [Fact]
    public async Task BodyOverTheLimitIsRejectedWith413WithOrWithoutContentLength()
    {
        await using var host = await StartAsync(new() { ["WEBHOOK_MAX_BODY_BYTES"] = "4096" });
        var signer = new WebhookSigner(GatewayHost.Secret);
        var conversation = NewConversation();
        var body = Fixtures.Transcription(conversation, transcriptBytes: 8000);

        var withLength = await host.Client.SendAsync(signer.CreateRequest(body));
        var chunked = signer.CreateRequest(body);
        chunked.Content = new StreamContent(new UnknownLengthStream(body));
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var withoutLength = await host.Client.SendAsync(chunked);

        foreach (var response in new[] { withLength, withoutLength })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("body_too_large", (await GatewayFixture.JsonAsync(response)).GetProperty("error").GetString());
        }
        Assert.Equal(0, await host.EventCountAsync(conversation));
    }

    [Fact]
    public async Task PreviousSecretIsStillAcceptedDuringRotation()
    {
        await using var host = await StartAsync(new() { ["WEBHOOK_SECRET"] = "wsec_new", ["WEBHOOK_SECRET_PREVIOUS"] = "wsec_old", ["WEBHOOK_SECRETS"] = "wsec_older" });
        var conversations = new[] { NewConversation(), NewConversation(), NewConversation() };

        var responses = new List<HttpResponseMessage>();
        foreach (var (secret, conversation) in new[] { "wsec_new", "wsec_old", "wsec_older" }.Zip(conversations))
        {
            responses.Add(await host.Client.SendAsync(new WebhookSigner(secret).CreateRequest(Fixtures.Transcription(conversation))));
        }
        var stranger = await host.Client.SendAsync(new WebhookSigner("wsec_unknown").CreateRequest(Fixtures.Transcription(NewConversation())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
        foreach (var conversation in conversations)
        {
            Assert.Equal(1, await host.EventCountAsync(conversation));
        }
    }

    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
