using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class EncryptionTests
{
    private const string Conversation = "conv_encrypted_0001";

    [Fact]
    public async Task TheRawColumnsHoldCiphertextAndTheConversationIsFoundByAnySpellingOfThePhone()
    {
        await using var host = await AdminHost.StartAsync();
        await Seed.ConversationAsync(host, Conversation);

        var raw = await RawResultAsync(host);
        foreach (var field in new[] { "client_name", "phone", "email" })
        {
            Assert.StartsWith("enc:v1:k1:", raw[field]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("375291234567", raw.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Петров", raw.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("lead", raw["outcome"]!.GetValue<string>());

        var operatorKey = (await host.CreateKeyAsync("operator")).Secret;
        foreach (var spelling in new[] { "+375291234567", "+375 (29) 123-45-67", "00375291234567" })
        {
            using var search = await host.SendAsync(HttpMethod.Post, "/api/v1/conversations/search", operatorKey, new { phone = spelling });
            var found = (await search.Content.ReadFromJsonAsync<JsonArray>())!;
            Assert.Equal(Conversation, Assert.Single(found)!["conversationId"]!.GetValue<string>());
        }
        using (var none = await host.SendAsync(HttpMethod.Post, "/api/v1/conversations/search", operatorKey, new { phone = "+375291234568" }))
        {
            Assert.Empty((await none.Content.ReadFromJsonAsync<JsonArray>())!);
        }

        // The caller's number in the webhook is indexed by the same keyed hash, never compared in clear.
        var protector = host.Services.GetRequiredService<PiiProtector>();
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE phone_hash = $1", protector.PhoneLookupHash(Seed.FixturePhone)!));

        using var detail = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", operatorKey);
        var analysis = (await detail.Content.ReadFromJsonAsync<JsonObject>())!["analyses"]![0]!["result"]!;
        Assert.Equal(Seed.FixtureName, analysis["client_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task AfterKeyRotationOldValuesAreReencryptedAndTheOldKeyCanBeRetired()
    {
        string database;
        await using (var before = await AdminHost.StartAsync())
        {
            database = before.ConnectionString;
            await Seed.ConversationAsync(before, Conversation);
        }

        // Rotation: k2 becomes active, k1 stays configured so that old values still decrypt.
        var key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using (var rotated = await AdminHost.StartAsync(connectionString: database,
            settings: new Dictionary<string, string?> { ["Privacy:Keys:k2"] = key2, ["Privacy:ActiveKeyId"] = "k2" }))
        {
            Seed.Report(rotated, Conversation, await rotated.ScalarAsync("SELECT id FROM ingest.webhook_events"));
            using (var read = await rotated.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", AdminHost.BootstrapKey))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
            // What the analysis service's background job does for this table after the rotation.
            var reencryptor = ActivatorUtilities.CreateInstance<PiiReencryptor>(rotated.Services);
            var rows = await reencryptor.ReencryptAsync(new PiiColumnSet("analysis.analyses", "id", [new PiiColumn("result", IsJson: true)]), 100, CancellationToken.None);
            Assert.Equal(1, rows);
            var raw = (await RawResultAsync(rotated)).ToJsonString();
            Assert.DoesNotContain("enc:v1:k1:", raw, StringComparison.Ordinal);
            Assert.Contains("enc:v1:k2:", raw, StringComparison.Ordinal);
        }

        // k1 retired: everything still reads, and the phone lookup (its own hash key) still finds the conversation.
        await using var after = await AdminHost.StartAsync(connectionString: database, settings: new Dictionary<string, string?>
        {
            ["Privacy:Keys:k1"] = null, ["Privacy:Keys:k2"] = key2, ["Privacy:ActiveKeyId"] = "k2",
        });
        // The analysis versions come from the analysis service (which re-encrypted its own table above); the
        // gateway's own events must still decrypt and its caller-number hash still find the conversation.
        Seed.Report(after, Conversation, await after.ScalarAsync("SELECT id FROM ingest.webhook_events"));
        using var detail = await after.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Equal(Seed.FixturePhone, (await detail.Content.ReadFromJsonAsync<JsonObject>())!["analyses"]![0]!["result"]!["phone"]!.GetValue<string>());
        using var search = await after.SendAsync(HttpMethod.Post, "/api/v1/conversations/search", AdminHost.BootstrapKey, new { phone = Seed.FixturePhone });
        Assert.Single((await search.Content.ReadFromJsonAsync<JsonArray>())!);
    }

    private static async Task<JsonObject> RawResultAsync(AdminHost host)
    {
        await using var command = host.DataSource.CreateCommand("SELECT result::text FROM analysis.analyses WHERE conversation_id = @id");
        command.Parameters.AddWithValue("id", Conversation);
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!.AsObject();
    }
}
