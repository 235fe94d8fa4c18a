using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.System.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.System.Tests.Integration;

/// <summary>
/// Erasure through the owners in the whole app: the gateway erases its rows, the analysis and CRM services theirs
/// over gRPC. With the CRM service stopped the erasure is accepted and stays pending (the gateway never touches
/// the CRM's Markdown mirror itself); once the service is back, the gateway's worker completes it.
/// </summary>
public sealed class ErasureTests
{
    private static readonly TimeSpan Patience = StressApp.Patience;

    [Fact]
    public async Task AnErasureWhileTheCrmServiceIsDownCompletesOnceItIsBackAndEveryOwnerReported()
    {
        var adminKey = "admin-" + Guid.NewGuid().ToString("N");
        await using var app = await StressApp.StartAsync(new StressAppSettings
        {
            UseFakeOpenAi = false,
            AppHostArgs = [$"ADMIN_BOOTSTRAP_KEY={adminKey}"],
            Environment =
            [
                // Long enough for the restarted CRM's first erasure call (a cold service on a busy CI machine): a call
                // cut off after its database part committed is retried, and the retry reports only what was left
                // (the Markdown section), not the export job the first call removed.
                ("gateway", "Erasure__OwnerTimeout", "00:00:15"),
                ("gateway", "Erasure__RetryBaseDelay", "00:00:00.500"),
                ("gateway", "Erasure__RetryMaxDelay", "00:00:02"),
                ("gateway", "Erasure__PollInterval", "00:00:00.200"),
            ],
        });
        var conversationId = "conv_erase_" + Guid.NewGuid().ToString("N")[..10];
        var markdown = Path.Combine(app.DataDirectory, "memory-bank", "crm.md");
        using (var response = await app.Gateway.SendAsync(app.Signer.CreateRequest(WebhookBodies.Transcription(conversationId))))
        {
            Assert.True(response.IsSuccessStatusCode, $"gateway answered {response.StatusCode}");
        }
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(markdown) && File.ReadAllText(markdown).Contains(conversationId, StringComparison.Ordinal)),
            "the conversation's export in the Markdown mirror", seconds: (int)Patience.TotalSeconds);

        await app.StopAsync("crm");
        using var accepted = await SendAsync(app, HttpMethod.Post, "/api/v1/subject-requests/erasure", adminKey, new { conversationId });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var pending = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", pending["state"]!.GetValue<string>());
        Assert.Equal("done", pending["owners"]!["analysis"]!["state"]!.GetValue<string>());
        Assert.Equal(1, pending["owners"]!["analysis"]!["removed"]!["jobs.jobs/analysis"]!.GetValue<long>());
        Assert.Equal("pending", pending["owners"]!["crm"]!["state"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", conversationId));
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1", conversationId));
        // Only the CRM service edits its Markdown mirror: the section waits for it.
        Assert.Contains(conversationId, await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM audit.log WHERE action = 'subject.erasure.completed' AND conversation_id = $1", conversationId));

        await app.StartResourceAsync("crm");
        var location = accepted.Headers.Location!.OriginalString;
        JsonObject? final = null;
        await Eventually.TrueAsync(async () =>
        {
            using var status = await SendAsync(app, HttpMethod.Get, location, adminKey);
            final = await status.Content.ReadFromJsonAsync<JsonObject>();
            return final?["state"]?.GetValue<string>() == "done";
        }, "the erasure completed by the gateway's worker", seconds: (int)Patience.TotalSeconds);

        Assert.Equal(1, final!["removed"]!["markdown_sections"]!.GetValue<long>());
        Assert.Equal(1, final["removed"]!["jobs.jobs/crm"]!.GetValue<long>());
        Assert.DoesNotContain(conversationId, await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM crm.exports WHERE conversation_id = $1", conversationId));
        Assert.Equal(0, await CountAsync(app, "SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND job_key = $1", conversationId));
        Assert.Equal(1, await CountAsync(app,
            "SELECT count(*) FROM audit.log WHERE action = 'subject.erasure.completed' AND conversation_id = $1 AND details LIKE '%crm:markdown_sections%'", conversationId));
    }

    private static async Task<HttpResponseMessage> SendAsync(StressApp app, HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await app.Gateway.SendAsync(request);
    }

    private static async Task<long> CountAsync(StressApp app, string sql, string conversationId)
    {
        await using var command = app.Database.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = conversationId });
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
