using System.Net;
using System.Net.Sockets;
using System.Text;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>Input nobody should send is answered 400 or logged in one line, never a 500 or a stack trace.</summary>
public sealed class BadInputTests
{
    [Fact]
    public async Task ANulInAdminQueryOrBodyFieldsIsAnswered400WithoutADatabaseErrorInTheLog()
    {
        await using var host = await AdminHost.StartAsync();
        var requests = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "/api/v1/audit?conversationId=%00", null),
            (HttpMethod.Get, "/api/v1/audit?action=a%00b", null),
            (HttpMethod.Get, "/api/v1/conversations?agentId=%00", null),
            (HttpMethod.Post, "/api/v1/conversations/search", new { agentId = "a\0b" }),
            (HttpMethod.Post, "/api/v1/conversations/search", new { phone = "+7\0" }),
            (HttpMethod.Post, "/api/v1/subject-requests/erasure", new { conversationId = "conv\0x" }),
            (HttpMethod.Get, "/api/v1/conversations/conv%00x", null),
        };
        foreach (var (method, path, body) in requests)
        {
            using var response = await host.SendAsync(method, path, AdminHost.BootstrapKey, body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode}");
        }

        // A lone surrogate from a JSON escape, and a body that is not UTF-8 at all.
        foreach (var raw in new[] { Encoding.UTF8.GetBytes("""{"agentId":"\ud800"}"""), [.. "{\"agentId\":\""u8, 0xff, 0xfe, .. "\"}"u8] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/conversations/search") { Content = new ByteArrayContent(raw) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminHost.BootstrapKey);
            using var response = await host.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{Convert.ToHexString(raw)}: {(int)response.StatusCode}");
        }

        Assert.DoesNotContain(host.Logs.Lines(), r => r.Contains("Npgsql", StringComparison.Ordinal) || r.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAbortedWebhookBodyIsLoggedInOneLineAtInformationWithoutAStackTrace()
    {
        await using var host = await AdminHost.StartAsync();
        var body = new string('x', 100);
        var signature = host.Signer.Sign(Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(host.Client.BaseAddress!.Host, host.Client.BaseAddress.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /webhooks/elevenlabs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
                $"ElevenLabs-Signature: {signature}\r\nContent-Length: 100000\r\n\r\n{body}"));
            await stream.FlushAsync();
            await Task.Delay(200); // let the gateway start reading the body before the sender disappears
        }

        await host.WaitUntilAsync(() => Task.FromResult(host.Logs.Lines().Any(r => r.Contains("body_incomplete", StringComparison.Ordinal))), "the aborted body logged");
        var lines = host.Logs.Lines().Where(r => r.Contains("body_incomplete", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.StartsWith("Information", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines(), r => r.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines(), r => r.StartsWith("Error", StringComparison.Ordinal) || r.StartsWith("Warning", StringComparison.Ordinal));
    }
}
