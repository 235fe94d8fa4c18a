using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Admin;

public sealed class ErasureTests
{
    private const string Erased = "conv_erase_me_0001";
    private const string Kept = "conv_keep_me_0002";
    private const string KeptPhone = "+79161234567";
    private const string KeptName = "Мария Сидорова";

    [Fact]
    public async Task AfterErasureNoTableSpoolOrMarkdownHoldsTheConversationAndTheAuditShowsTheErasure()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Erased);
        await Seed.ConversationAsync(host, Kept, KeptPhone, KeptName);
        await AppendReExportAsync(host.MarkdownPath, Erased);
        Assert.NotEmpty(await DatabaseSearch.FindAsync(host.DataSource, Erased, "audit"));

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!["removed"]!;
        Assert.Equal(1, report["ingest.webhook_events"]!.GetValue<long>());
        Assert.Equal(1, report["analysis.analyses"]!.GetValue<long>());
        Assert.Equal(1, report["crm.exports"]!.GetValue<long>());
        Assert.Equal(1, report["markdown_sections"]!.GetValue<long>());

        // Nothing of it in any table (the audit trail keeps the id of what was erased, and nothing else).
        Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, Erased, "audit"));
        foreach (var personal in new[] { Seed.FixturePhone, "375291234567", Seed.FixtureName, Seed.FixtureEmail, Seed.FixtureTranscriptText })
        {
            Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, personal));
        }
        var markdown = await File.ReadAllTextAsync(host.MarkdownPath);
        Assert.DoesNotContain(Erased, markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed.FixtureName, markdown, StringComparison.Ordinal);
        Assert.False(File.Exists(host.SpoolPath) && (await File.ReadAllTextAsync(host.SpoolPath)).Contains(Erased, StringComparison.Ordinal));

        // The other conversation is untouched.
        Assert.Contains(KeptName, markdown, StringComparison.Ordinal);
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Kept));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM analysis.analyses WHERE conversation_id = $1", Kept));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM crm.exports WHERE conversation_id = $1", Kept));

        // The audit trail records who erased what, and the chain still verifies.
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'subject.erasure' AND conversation_id = $1 AND actor LIKE 'key:bootstrap%' AND role = 'admin'", Erased));
        using var audit = await host.SendAsync(HttpMethod.Get, $"/api/v1/audit?conversationId={Erased}&action=subject.erasure", AdminHost.BootstrapKey);
        var records = (await audit.Content.ReadFromJsonAsync<JsonObject>())!["records"]!.AsArray();
        Assert.Single(records);
        Assert.Contains("ingest.webhook_events", records[0]!["details"]!.GetValue<string>(), StringComparison.Ordinal);
        using var verify = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", AdminHost.BootstrapKey);
        Assert.True((await verify.Content.ReadFromJsonAsync<JsonObject>())!["valid"]!.GetValue<bool>());

        using var gone = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Erased}", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task ErasureByPhoneErasesEveryConversationOfThatNumberWrittenAnyWay()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, "conv_phone_a");
        await Seed.ConversationAsync(host, "conv_phone_b");
        await Seed.ConversationAsync(host, Kept, KeptPhone, KeptName);

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = "00375 (29) 123-45-67" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id IN ('conv_phone_a', 'conv_phone_b')"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Equal(2, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'subject.erasure'"));
        Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, "375291234567"));
    }

    [Fact]
    public async Task ARequestNamingNeitherOrBothIsRefusedAndErasesNothing()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Erased);
        using var neither = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { });
        using var both = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased, phone = Seed.FixturePhone });
        using var unknownPhone = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = "+10000000000" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPhone.StatusCode);
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
    }

    [Fact]
    public async Task TheAccessExportHoldsEverythingDecrypted()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Erased);
        var key = (await host.CreateKeyAsync("auditor")).Secret;

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/access", key, new { phone = "+375 29 123 45 67" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var conversation = JsonNode.Parse(text)!["conversations"]![0]!;
        Assert.Equal(Erased, conversation["conversationId"]!.GetValue<string>());
        Assert.Equal(Seed.FixtureName, conversation["analyses"]![0]!["result"]!["client_name"]!.GetValue<string>());
        Assert.Equal(Seed.FixturePhone, conversation["analyses"]![0]!["result"]!["phone"]!.GetValue<string>());
        Assert.Contains(Seed.FixtureTranscriptText, text, StringComparison.Ordinal);
        Assert.Equal("done", conversation["export"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("enc:v1:", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessAndErasureByPhoneCoverEveryConversationOfTheNumberBeyondAnyPage()
    {
        await using var host = await AdminHost.StartAsync();
        const int many = 620; // more than the old silent limit (200) and than one internal page (500)
        var hash = host.Services.GetRequiredService<PiiProtector>().PhoneLookupHash(Seed.FixturePhone)!;
        await host.ExecuteAsync("""
            INSERT INTO ingest.webhook_events (event_type, conversation_id, payload, phone_hash)
            SELECT 'post_call_transcription', 'conv_many_' || lpad(g::text, 4, '0'), '{"data":{}}'::jsonb, $1 FROM generate_series(1, 620) g
            """, hash);
        await Seed.ConversationAsync(host, Kept, KeptPhone, KeptName);
        var auditor = (await host.CreateKeyAsync("auditor")).Secret;

        using (var access = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/access", auditor, new { phone = Seed.FixturePhone }))
        {
            Assert.Equal(HttpStatusCode.OK, access.StatusCode);
            Assert.Equal(many, (await access.Content.ReadFromJsonAsync<JsonObject>())!["conversations"]!.AsArray().Count);
        }

        using var erasure = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = Seed.FixturePhone });
        Assert.Equal(HttpStatusCode.OK, erasure.StatusCode);
        var report = (await erasure.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(many, report["conversationIds"]!.AsArray().Count);
        Assert.Equal(many, report["removed"]!["ingest.webhook_events"]!.GetValue<long>());
        Assert.Equal(0, report["remaining"]!.GetValue<int>());
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id LIKE 'conv_many_%'"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Kept));
    }

    [Fact]
    public async Task ACapturedWebhookReSentAfterErasureIsAcknowledgedDroppedAndAudited()
    {
        await using var host = await AdminHost.StartAsync();
        var body = Seed.Fixture(Erased);
        var signedAt = DateTimeOffset.UtcNow;
        await host.PostWebhookAsync(body, signedAt);
        using (var erase = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased }))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }

        // The very same signed request, still inside the signature's tolerance window.
        using var replay = await host.Client.SendAsync(host.Signer.CreateRequest(body, signedAt));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("erased", (await replay.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]!.GetValue<string>());

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Erased));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1", Erased));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'webhook.dropped_erased' AND conversation_id = $1", Erased));
        // The tombstone holds a keyed hash, not the id.
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.erased_conversations"));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.erased_conversations WHERE conversation_hash LIKE '%' || $1 || '%'", Erased));

        // Other conversations are stored as before.
        await host.PostWebhookAsync(Seed.Fixture(Kept, KeptPhone, KeptName));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Kept));
    }

    [Fact]
    public async Task ASpooledWebhookOfAConversationErasedSinceIsDroppedAtReplayAndAudited()
    {
        await using var host = await AdminHost.StartAsync();
        await host.PostWebhookAsync(Seed.Fixture(Erased));
        using (var erase = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased }))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }
        var spool = host.Services.GetRequiredService<VoiceAnalytics.Gateway.Ingest.EventSpool>();

        // A retry of it spooled during an outage, replayed once Postgres takes writes again.
        await spool.AppendAsync([new VoiceAnalytics.Gateway.Model.WebhookEvent(
            "post_call_transcription", Erased, null, null, """{"data":{}}""", null, null, DateTimeOffset.UtcNow)], CancellationToken.None);
        await host.WaitUntilAsync(() => Task.FromResult(!spool.IsActive), "spool replayed");

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Erased));
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'webhook.dropped_erased' AND conversation_id = $1 AND details LIKE '%spool%'", Erased));
    }

    // The CRM's Markdown mirror is append-only: a re-export adds a second section of the same conversation.
    private static async Task AppendReExportAsync(string markdownPath, string conversationId)
    {
        var content = await File.ReadAllTextAsync(markdownPath);
        var escaped = Uri.EscapeDataString(conversationId);
        var start = content.IndexOf($"<!-- conversation: {escaped} -->", StringComparison.Ordinal);
        var endMarker = $"<!-- /conversation: {escaped} -->\n";
        var end = content.IndexOf(endMarker, start, StringComparison.Ordinal) + endMarker.Length;
        await File.AppendAllTextAsync(markdownPath, "\n" + content[start..end]);
    }
}
