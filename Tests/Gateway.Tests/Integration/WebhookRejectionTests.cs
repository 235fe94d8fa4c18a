using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>Every refusal answers a clear status and a JSON reason, and stores nothing.</summary>
public sealed class WebhookRejectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayHost Host => fixture.Host;

    private static string NewConversation() => $"conv_reject_{Guid.NewGuid():N}";

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string error, string conversationId)
    {
        Assert.Equal(status, response.StatusCode);
        var json = await GatewayFixture.JsonAsync(response);
        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("message").GetString()));
        Assert.Equal(0, await Host.EventCountAsync(conversationId));
        Assert.False(File.Exists(Host.SpoolPath));
    }

    [Fact]
    public async Task MissingSignatureIsRejectedWith401()
    {
        var conversation = NewConversation();
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/elevenlabs") { Content = new ByteArrayContent(Fixtures.Transcription(conversation)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "missing_signature", conversation);
    }

    [Fact]
    public async Task MalformedSignatureHeaderIsRejectedWith401()
    {
        var conversation = NewConversation();
        var request = fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow());
        request.Headers.Remove("ElevenLabs-Signature");
        request.Headers.TryAddWithoutValidation("ElevenLabs-Signature", "sha256=abc");
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_signature", conversation);
    }

    [Fact]
    public async Task TamperedBodyIsRejectedWith401()
    {
        var conversation = NewConversation();
        var body = Fixtures.Transcription(conversation);
        var request = fixture.Signer.CreateRequest(body, fixture.Clock.GetUtcNow());
        var tampered = (byte[])body.Clone();
        tampered[^3] = (byte)'y'; // inside the transcript text
        request.Content = new ByteArrayContent(tampered);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_signature", conversation);
    }

    [Fact]
    public async Task WrongSecretIsRejectedWith401()
    {
        var conversation = NewConversation();
        var request = new TestSupport.WebhookSigner("not-the-secret").CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow());
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "invalid_signature", conversation);
    }

    [Fact]
    public async Task StaleSignatureIsRejectedWith401()
    {
        var conversation = NewConversation();
        var request = fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow().AddSeconds(-1801));
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "stale_timestamp", conversation);
    }

    [Fact]
    public async Task FutureSignatureBeyondToleranceIsRejectedWith401()
    {
        var conversation = NewConversation();
        var request = fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow().AddSeconds(1801));
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.Unauthorized, "stale_timestamp", conversation);
    }

    [Fact]
    public async Task SignatureExactlyAtToleranceIsAcceptedBothWays()
    {
        foreach (var offset in new[] { -1800, 1800 })
        {
            var conversation = NewConversation();
            var response = await Host.Client.SendAsync(fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow().AddSeconds(offset)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, await Host.EventCountAsync(conversation));
        }
    }

    [Fact]
    public async Task NonJsonBodyIsRejectedWith415()
    {
        var conversation = NewConversation();
        var request = fixture.Signer.CreateRequest(Fixtures.Transcription(conversation), fixture.Clock.GetUtcNow());
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        await AssertRefusedAsync(await Host.Client.SendAsync(request), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type", conversation);
    }

    [Fact]
    public async Task MalformedJsonIsRejectedWith400()
    {
        var conversation = NewConversation();
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_transcription","data":{"conversation_id":"{{{conversation}}}"}""");
        await AssertRefusedAsync(await fixture.PostAsync(body), HttpStatusCode.BadRequest, "malformed_json", conversation);
    }

    [Fact]
    public async Task TrailingGarbageAfterTheJsonIsRejectedWith400()
    {
        var conversation = NewConversation();
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"x","data":{"conversation_id":"{{{conversation}}}"}} trailing""");
        await AssertRefusedAsync(await fixture.PostAsync(body), HttpStatusCode.BadRequest, "malformed_json", conversation);
    }

    [Fact]
    public async Task MissingTypeIsRejectedWith400()
    {
        var conversation = NewConversation();
        var body = Encoding.UTF8.GetBytes($$$"""{"event_timestamp":1,"data":{"conversation_id":"{{{conversation}}}"}}""");
        await AssertRefusedAsync(await fixture.PostAsync(body), HttpStatusCode.BadRequest, "missing_field", conversation);
    }

    [Fact]
    public async Task MissingConversationIdIsRejectedWith400()
    {
        var conversation = NewConversation();
        // The id sits outside data: it does not count.
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_transcription","conversation_id":"{{{conversation}}}","data":{"agent_id":"a"}}""");
        await AssertRefusedAsync(await fixture.PostAsync(body), HttpStatusCode.BadRequest, "missing_field", conversation);
    }

    [Fact]
    public async Task NulCharacterThatPostgresCannotStoreIsRejectedWith400()
    {
        var conversation = NewConversation();
        var body = Encoding.UTF8.GetBytes($$$"""{"type":"post_call_transcription","data":{"conversation_id":"{{{conversation}}}","note":"a\u0000b"}}""");
        await AssertRefusedAsync(await fixture.PostAsync(body), HttpStatusCode.BadRequest, "malformed_json", conversation);
    }
}
