using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class ErasureTests
{
    private const string Erased = "conv_erase_me_0001";
    private const string Kept = "conv_keep_me_0002";
    private const string KeptPhone = "+79161234567";
    private const string KeptName = "Мария Сидорова";

    // The gateway's own database only: the analysis and CRM data is erased by its owners (the fakes here; their
    // own erase is tested in their projects), and the gateway must not need their schemas to erase.
    private static Task<AdminHost> StartAsync(IDictionary<string, string?>? settings = null) => AdminHost.StartAsync(settings: settings, ownerSchemas: false);

    private static Task StoreAsync(AdminHost host, string conversationId, string phone = Seed.FixturePhone, string name = Seed.FixtureName) =>
        host.PostWebhookAsync(Seed.Fixture(conversationId, phone, name));

    [Fact]
    public async Task AfterErasureTheGatewayHoldsNothingOfTheConversationEveryOwnerReportedAndTheAuditShowsBoth()
    {
        await using var host = await StartAsync();
        await StoreAsync(host, Erased);
        await StoreAsync(host, Kept, KeptPhone, KeptName);

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("done", report["state"]!.GetValue<string>());
        var removed = report["removed"]!;
        Assert.Equal(1, removed["ingest.webhook_events"]!.GetValue<long>());
        Assert.Equal(1, removed["analysis.analyses"]!.GetValue<long>());
        Assert.Equal(1, removed["crm.exports"]!.GetValue<long>());
        Assert.Equal(1, removed["markdown_sections"]!.GetValue<long>());
        Assert.Equal("done", report["owners"]!["analysis"]!["state"]!.GetValue<string>());
        Assert.Equal("done", report["owners"]!["crm"]!["state"]!.GetValue<string>());
        Assert.Equal([$"analysis:subject.erasure:{Erased}", $"crm:subject.erasure:{Erased}"], host.Pipeline.Erasures.Order(StringComparer.Ordinal));

        // Nothing of it in the gateway's tables (the audit trail keeps the id of what was erased, and nothing else).
        Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, Erased, "audit", "analysis", "crm", "jobs"));
        foreach (var personal in new[] { Seed.FixturePhone, "375291234567", Seed.FixtureName, Seed.FixtureEmail, Seed.FixtureTranscriptText })
        {
            Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, personal));
        }
        Assert.False(File.Exists(host.SpoolPath) && (await File.ReadAllTextAsync(host.SpoolPath)).Contains(Erased, StringComparison.Ordinal));
        // The completed request keeps the keyed hash of the id, not the id.
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.erasure_requests WHERE state = 'done' AND conversation_ids IS NULL AND cardinality(conversation_hashes) = 1"));

        // The other conversation is untouched.
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Kept));

        // The audit trail records who erased what, then what every owner reported, and the chain still verifies.
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'subject.erasure' AND conversation_id = $1 AND actor LIKE 'key:bootstrap%' AND role = 'admin'", Erased));
        using var audit = await host.SendAsync(HttpMethod.Get, $"/api/v1/audit?conversationId={Erased}", AdminHost.BootstrapKey);
        var records = (await audit.Content.ReadFromJsonAsync<JsonObject>())!["records"]!.AsArray();
        var requested = Assert.Single(records, r => r!["action"]!.GetValue<string>() == "subject.erasure")!["details"]!.GetValue<string>();
        Assert.Contains("ingest.webhook_events", requested, StringComparison.Ordinal);
        var completed = Assert.Single(records, r => r!["action"]!.GetValue<string>() == "subject.erasure.completed")!["details"]!.GetValue<string>();
        Assert.Contains("analysis:analysis.analyses", completed, StringComparison.Ordinal);
        Assert.Contains("crm:markdown_sections", completed, StringComparison.Ordinal);
        using var verify = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", AdminHost.BootstrapKey);
        Assert.True((await verify.Content.ReadFromJsonAsync<JsonObject>())!["valid"]!.GetValue<bool>());

        using var gone = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Erased}", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var status = await host.SendAsync(HttpMethod.Get, $"/api/v1/subject-requests/erasure/{report["requestId"]!.GetValue<string>()}", AdminHost.BootstrapKey);
        Assert.Equal("done", (await status.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnOwnerDownDuringErasureLeavesItPendingAndTheWorkerCompletesItOnceTheOwnerIsBack()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Erasure:OwnerTimeout"] = "00:00:02",
            ["Erasure:RetryBaseDelay"] = "00:00:00.200",
            ["Erasure:RetryMaxDelay"] = "00:00:01",
            ["Erasure:PollInterval"] = "00:00:00.100",
        });
        await StoreAsync(host, Erased);
        host.Pipeline.TakeDown("crm");

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var location = $"/api/v1/subject-requests/erasure/{report["requestId"]!.GetValue<string>()}";
        Assert.Equal(location, response.Headers.Location!.OriginalString);
        Assert.Equal("pending", report["state"]!.GetValue<string>());
        Assert.Equal("done", report["owners"]!["analysis"]!["state"]!.GetValue<string>());
        Assert.Equal("pending", report["owners"]!["crm"]!["state"]!.GetValue<string>());
        Assert.Equal("Unavailable", report["owners"]!["crm"]!["lastError"]!.GetValue<string>());
        // The gateway's own part is done and the tombstone stands; nothing is reported complete.
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Erased));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.erased_conversations"));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'subject.erasure.completed'"));

        // Still down through the worker's retries: still pending, still nothing reported complete.
        await host.WaitUntilAsync(async () => await host.ScalarAsync(
            "SELECT attempts FROM ingest.erasure_owner_reports WHERE owner = 'crm'") >= 3, "the worker retried the owner");
        using (var status = await host.SendAsync(HttpMethod.Get, location, AdminHost.BootstrapKey))
        {
            Assert.Equal("pending", (await status.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>());
        }
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'subject.erasure.completed'"));

        host.Pipeline.BringBack("crm");
        await host.WaitUntilAsync(async () =>
        {
            using var status = await host.SendAsync(HttpMethod.Get, location, AdminHost.BootstrapKey);
            return (await status.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>() == "done";
        }, "the worker completed the erasure");

        using var done = await host.SendAsync(HttpMethod.Get, location, AdminHost.BootstrapKey);
        var final = (await done.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1, final["removed"]!["crm.exports"]!.GetValue<long>());
        Assert.Equal(1, final["removed"]!["analysis.analyses"]!.GetValue<long>());
        Assert.Empty(final["conversationIds"]!.AsArray()); // a completed request no longer keeps the ids
        // The owner that answered the first time was not asked again; the audit records both owners' reports once.
        Assert.Single(host.Pipeline.Erasures, e => e.StartsWith("analysis:", StringComparison.Ordinal));
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'subject.erasure.completed' AND conversation_id = $1 AND details LIKE '%crm:crm.exports%' AND details LIKE '%analysis:analysis.analyses%'", Erased));
    }

    [Fact]
    public async Task TheCrmServiceIsAskedOnlyOnceTheAnalysisServiceHasErasedSoNoExportCanSlipThrough()
    {
        await using var host = await StartAsync(new Dictionary<string, string?>
        {
            ["Erasure:OwnerTimeout"] = "00:00:02",
            ["Erasure:RetryBaseDelay"] = "00:00:00.200",
            ["Erasure:RetryMaxDelay"] = "00:00:01",
            ["Erasure:PollInterval"] = "00:00:00.100",
        });
        await StoreAsync(host, Erased);
        host.Pipeline.TakeDown("analysis");

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("pending", report["owners"]!["analysis"]!["state"]!.GetValue<string>());
        Assert.Equal("pending", report["owners"]!["crm"]!["state"]!.GetValue<string>());
        Assert.Empty(host.Pipeline.Erasures);

        host.Pipeline.BringBack("analysis");
        var location = response.Headers.Location!.OriginalString;
        await host.WaitUntilAsync(async () =>
        {
            using var status = await host.SendAsync(HttpMethod.Get, location, AdminHost.BootstrapKey);
            return (await status.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>() == "done";
        }, "the worker completed the erasure");
        Assert.Equal([$"analysis:subject.erasure:{Erased}", $"crm:subject.erasure:{Erased}"], host.Pipeline.Erasures);
    }

    [Fact]
    public async Task ErasureByPhoneErasesEveryConversationOfThatNumberWrittenAnyWay()
    {
        await using var host = await StartAsync();
        await StoreAsync(host, "conv_phone_a");
        await StoreAsync(host, "conv_phone_b");
        await StoreAsync(host, Kept, KeptPhone, KeptName);

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = "00375 (29) 123-45-67" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id IN ('conv_phone_a', 'conv_phone_b')"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Equal(2, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'subject.erasure'"));
        Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, "375291234567"));
        Assert.Contains("analysis:subject.erasure:conv_phone_a,conv_phone_b", host.Pipeline.Erasures);
        Assert.Contains("crm:subject.erasure:conv_phone_a,conv_phone_b", host.Pipeline.Erasures);
    }

    [Fact]
    public async Task ARequestNamingNeitherOrBothIsRefusedAndErasesNothing()
    {
        await using var host = await StartAsync();
        await StoreAsync(host, Erased);
        using var neither = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { });
        using var both = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased, phone = Seed.FixturePhone });
        using var unknownPhone = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { phone = "+10000000000" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownPhone.StatusCode);
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Empty(host.Pipeline.Erasures);
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
        await using var host = await StartAsync();
        const int many = 620; // more than the old silent limit (200) and than one internal page (500)
        var hash = host.Services.GetRequiredService<PiiProtector>().PhoneLookupHash(Seed.FixturePhone)!;
        await host.ExecuteAsync("""
            INSERT INTO ingest.webhook_events (event_type, conversation_id, payload, phone_hash)
            SELECT 'post_call_transcription', 'conv_many_' || lpad(g::text, 4, '0'), '{"data":{}}'::jsonb, $1 FROM generate_series(1, 620) g
            """, hash);
        await StoreAsync(host, Kept, KeptPhone, KeptName);
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
        Assert.Equal(many, report["removed"]!["analysis.analyses"]!.GetValue<long>()); // one request to each owner, for all of them
        Assert.Single(host.Pipeline.Erasures, e => e.StartsWith("analysis:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACapturedWebhookReSentAfterErasureIsAcknowledgedDroppedAndAudited()
    {
        await using var host = await StartAsync();
        var body = Seed.Fixture(Erased);
        var signedAt = DateTimeOffset.UtcNow;
        await host.PostWebhookAsync(body, signedAt);
        using (var erase = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/erasure", AdminHost.BootstrapKey, new { conversationId = Erased }))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }

        var jobsBefore = await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1", Erased);

        // The very same signed request, still inside the signature's tolerance window.
        using var replay = await host.Client.SendAsync(host.Signer.CreateRequest(body, signedAt));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("erased", (await replay.Content.ReadFromJsonAsync<JsonObject>())!["outcome"]!.GetValue<string>());

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", Erased));
        Assert.Contains($"analysis:subject.erasure:{Erased}", host.Pipeline.Erasures);
        Assert.Equal(jobsBefore, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1", Erased)); // no new analysis
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
        await using var host = await StartAsync();
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
}
