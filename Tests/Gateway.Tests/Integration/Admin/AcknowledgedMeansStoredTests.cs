using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>A 200 means stored: what Postgres would refuse is answered 400 and never reaches the spool.</summary>
public sealed class AcknowledgedMeansStoredTests
{
    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(AdminHost host, string json)
    {
        using var request = host.Signer.CreateRequest(Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);
        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("file modes are POSIX") : File.GetUnixFileMode(path);

    [Theory]
    [InlineData("""{"type":"post_call_transcription","data":{"conversation_id":"conv_nul","full_audio":"a\u0000b"}}""")]
    [InlineData("""{"type":"post_call_transcription","data":{"conversation_id":"conv_surrogate","full_audio":"\ud800"}}""")]
    [InlineData("""{"type":"post_call_transcription","data":{"conversation_id":"conv_huge","metadata":{"cost":1e200000}}}""")]
    [InlineData("""{"type":"post_call_transcription","data":{"conversation_id":"conv_tiny","metadata":{"cost":1.5e-16383}}}""")]
    public async Task AValuePostgresWouldRefuseIsAnswered400AndTheNextValidEventIsStoredNotSpooled(string json)
    {
        await using var host = await AdminHost.StartAsync();

        var (status, body) = await PostAsync(host, json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body["error"]!.GetValue<string>(), new[] { "unstorable_value", "malformed_json" });

        var (next, answer) = await PostAsync(host, """{"type":"post_call_transcription","data":{"conversation_id":"conv_valid_after"}}""");
        Assert.Equal(HttpStatusCode.OK, next);
        Assert.Equal("stored", answer["outcome"]!.GetValue<string>());
        Assert.False(host.Services.GetRequiredService<EventSpool>().IsActive);
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id <> 'conv_valid_after'"));
    }

    [Fact]
    public async Task NumbersAtTheEdgeOfPostgresRangeAreAcceptedAndStored()
    {
        await using var host = await AdminHost.StartAsync();

        var (status, answer) = await PostAsync(host,
            """{"type":"x","data":{"conversation_id":"conv_edge","a":1e131071,"b":9.9e131071,"c":1e-16383,"d":0e200000,"e":-0.5,"f":12345678901234567890}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("stored", answer["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnEventTheDatabaseRefusesDespiteTheChecksIsAnswered400WithoutSwitchingToTheSpool()
    {
        await using var host = await AdminHost.StartAsync();
        // A refusal the edge cannot foresee, standing in for any data error Postgres may raise.
        await host.ExecuteAsync("ALTER TABLE ingest.webhook_events ADD CONSTRAINT test_refuse CHECK (conversation_id <> 'conv_refused_by_db')");

        var (refused, body) = await PostAsync(host, """{"type":"post_call_transcription","data":{"conversation_id":"conv_refused_by_db"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal("unstorable_value", body["error"]!.GetValue<string>());

        var (next, answer) = await PostAsync(host, """{"type":"post_call_transcription","data":{"conversation_id":"conv_valid_after"}}""");
        Assert.Equal(HttpStatusCode.OK, next);
        Assert.Equal("stored", answer["outcome"]!.GetValue<string>());
        Assert.False(host.Services.GetRequiredService<EventSpool>().IsActive);
        Assert.False(File.Exists(host.SpoolPath));
    }

    [Fact]
    public async Task ALineTheReplaySetsAsideIsOwnerOnlyAndErasedWithItsConversation()
    {
        await using var host = await AdminHost.StartAsync();
        await host.ExecuteAsync("ALTER TABLE ingest.webhook_events ADD CONSTRAINT test_refuse CHECK (conversation_id <> 'conv_refused_by_db')");
        var spool = host.Services.GetRequiredService<EventSpool>();

        // Spooled before the constraint could be known (as during an outage), then replayed.
        await spool.AppendAsync(
        [
            new WebhookEvent("post_call_transcription", "conv_refused_by_db", null, null, """{"data":{"conversation_id":"conv_refused_by_db"}}""", null, null, DateTimeOffset.UtcNow),
            new WebhookEvent("post_call_transcription", "conv_kept_aside", null, null, """{"data":{"conversation_id":"conv_kept_aside"}}""", null, null, DateTimeOffset.UtcNow),
        ], CancellationToken.None);
        await host.WaitUntilAsync(() => Task.FromResult(!spool.IsActive), "spool replayed");

        var rejected = spool.RejectedFilePath;
        Assert.True(File.Exists(rejected));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(rejected));
        Assert.Contains("conv_refused_by_db", await File.ReadAllTextAsync(rejected), StringComparison.Ordinal);

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = "conv_refused_by_db" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonObject>())!["removed"]!["spool_lines"]!.GetValue<long>());
        Assert.DoesNotContain("conv_refused_by_db", await File.ReadAllTextAsync(rejected), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(rejected));
    }
}
