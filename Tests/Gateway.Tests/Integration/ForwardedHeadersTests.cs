using System.Net;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>X-Forwarded-For is believed from the configured proxies only, never from whoever sends it.</summary>
public sealed class ForwardedHeadersTests
{
    private const string AllowedClient = "203.0.113.5";

    private static async Task<HttpStatusCode> PostFromBehindAsync(Dictionary<string, string?> settings)
    {
        var pg = await ThrowawayPostgres.Shared;
        settings["WEBHOOK_ALLOWED_CIDRS"] = "203.0.113.0/24"; // the test client (127.0.0.1) itself is not allowed
        await using var host = await GatewayHost.StartAsync(await pg.CreateDatabaseAsync("forwarded"), settings);
        using var request = new WebhookSigner(GatewayHost.Secret).CreateRequest(Fixtures.Transcription($"conv_fwd_{Guid.NewGuid():N}"));
        request.Headers.Add("X-Forwarded-For", AllowedClient);
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task ASpoofedForwardedForIsIgnoredEvenWithTheStandardSwitchOn()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await PostFromBehindAsync(new() { ["FORWARDEDHEADERS_ENABLED"] = "true" }));
    }

    [Fact]
    public async Task AForwardedForFromAProxyThatIsNotKnownIsIgnored()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await PostFromBehindAsync(new()
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
            ["FORWARDED_KNOWN_PROXIES"] = "10.9.9.9,192.168.0.0/16",
        }));
    }

    [Fact]
    public async Task AForwardedForFromAKnownProxyNamesTheClient()
    {
        Assert.Equal(HttpStatusCode.OK, await PostFromBehindAsync(new() { ["FORWARDED_KNOWN_PROXIES"] = "127.0.0.1" }));
    }
}
