using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>The webhook payload, the recording and the outage spool hold ciphertext; the admin API shows them decrypted.</summary>
public sealed class PayloadEncryptionTests
{
    private const string Conversation = "conv_payload_enc_0001";
    private static readonly string[] Personal = ["375291234567", Seed.FixtureTranscriptText, Seed.FixtureName, Seed.FixtureEmail];

    [Fact]
    public async Task RawEventsAndRecordingsHoldNoTranscriptOrPhoneAndTheAdminApiDecryptsThem()
    {
        await using var host = await AdminHost.StartAsync();
        await host.PostWebhookAsync(Seed.Fixture(Conversation));
        var audioBody = AudioFixture(Conversation, out var plainAudio);
        await host.PostWebhookAsync(audioBody);

        var payloads = await RawTextsAsync(host, "SELECT payload::text FROM ingest.webhook_events WHERE conversation_id = $1");
        Assert.Equal(2, payloads.Count);
        Assert.All(payloads, p => Assert.StartsWith("\"enc:v1:k1:", p, StringComparison.Ordinal));
        Assert.All(payloads, p => Assert.All(Personal, secret => Assert.DoesNotContain(secret, p, StringComparison.Ordinal)));
        var audio = await RawAudioAsync(host);
        Assert.StartsWith("enc:v1:k1:", Encoding.ASCII.GetString(audio, 0, 10), StringComparison.Ordinal);
        Assert.Equal(-1, audio.AsSpan().IndexOf(plainAudio.AsSpan(0, 32)));
        Assert.Equal(plainAudio.Length, await host.ScalarAsync("SELECT byte_length FROM ingest.recordings WHERE conversation_id = $1", Conversation));

        // Lookup by phone still works: the keyed hash was computed at ingest, before the payload was sealed.
        var protector = host.Services.GetRequiredService<PiiProtector>();
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE phone_hash = $1", protector.PhoneLookupHash(Seed.FixturePhone)!));

        using var detail = await host.SendAsync(HttpMethod.Get, $"/api/v1/conversations/{Conversation}", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains(Seed.FixtureTranscriptText, await StringsAsync(detail), StringComparison.Ordinal);
        using var access = await host.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/access", AdminHost.BootstrapKey, new { conversationId = Conversation });
        Assert.Contains(Convert.ToBase64String(plainAudio), await StringsAsync(access), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APayloadStoredBeforeEncryptionIsStillReadAndFoundByPhone()
    {
        await using var host = await AdminHost.StartAsync();
        // A row as the gateway wrote it before payload encryption: the JSON object itself, no phone hash yet.
        await host.ExecuteAsync("""
            INSERT INTO ingest.webhook_events (event_type, conversation_id, payload) VALUES ('post_call_transcription', 'conv_legacy_plain', $1::jsonb)
            """, Encoding.UTF8.GetString(Seed.Fixture("conv_legacy_plain")));
        using var detail = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations/conv_legacy_plain", AdminHost.BootstrapKey);
        Assert.Contains(Seed.FixtureTranscriptText, await StringsAsync(detail), StringComparison.Ordinal);
        using var search = await host.SendAsync(HttpMethod.Post, "/api/v1/conversations/search", AdminHost.BootstrapKey, new { phone = Seed.FixturePhone });
        Assert.Contains("conv_legacy_plain", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOutageSpoolHoldsNoTranscriptOrPhone()
    {
        var unreachable = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Username = "postgres", Timeout = 2 }.ConnectionString;
        await using var host = await GatewayHost.StartAsync(unreachable, waitForMigrations: false);
        var signer = new WebhookSigner(GatewayHost.Secret);
        using (var response = await host.Client.SendAsync(signer.CreateRequest(Seed.Fixture("conv_spooled_enc"))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var audioBody = AudioFixture("conv_spooled_enc", out var plainAudio);
        using (var response = await host.Client.SendAsync(signer.CreateRequest(audioBody)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spool = await File.ReadAllTextAsync(host.SpoolPath);
        Assert.Equal(2, spool.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(Personal, secret => Assert.DoesNotContain(secret, spool, StringComparison.Ordinal));
        Assert.Contains("\"payload\":\"enc:v1:", spool, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(plainAudio.AsSpan(0, 30)), spool, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterKeyRotationPayloadsAndRecordingsAreReencrypted()
    {
        string database;
        await using (var before = await AdminHost.StartAsync())
        {
            database = before.ConnectionString;
            await before.PostWebhookAsync(Seed.Fixture(Conversation));
            await before.PostWebhookAsync(AudioFixture(Conversation, out _));
        }
        var key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using (var rotated = await AdminHost.StartAsync(connectionString: database,
            settings: new Dictionary<string, string?> { ["Privacy:Keys:k2"] = key2, ["Privacy:ActiveKeyId"] = "k2" }))
        {
            // The passes the gateway's background job runs for its two tables after the rotation.
            var reencryptor = ActivatorUtilities.CreateInstance<PiiReencryptor>(rotated.Services);
            await reencryptor.ReencryptAsync(new PiiColumnSet("ingest.webhook_events", "id", [new PiiColumn("payload", IsJson: true)]), 100, CancellationToken.None);
            await reencryptor.ReencryptAsync(new PiiColumnSet("ingest.recordings", "id", [new PiiColumn("audio", IsBinary: true)]), 100, CancellationToken.None);
            Assert.All(await RawTextsAsync(rotated, "SELECT payload::text FROM ingest.webhook_events WHERE conversation_id = $1"),
                p => Assert.StartsWith("\"enc:v1:k2:", p, StringComparison.Ordinal));
            Assert.StartsWith("enc:v1:k2:", Encoding.ASCII.GetString(await RawAudioAsync(rotated), 0, 10), StringComparison.Ordinal);
        }
        // k1 retired: the payload and the recording still read.
        await using var after = await AdminHost.StartAsync(connectionString: database, settings: new Dictionary<string, string?>
        {
            ["Privacy:Keys:k1"] = null, ["Privacy:Keys:k2"] = key2, ["Privacy:ActiveKeyId"] = "k2",
        });
        using var access = await after.SendAsync(HttpMethod.Post, "/api/v1/subject-requests/access", AdminHost.BootstrapKey, new { conversationId = Conversation });
        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        Assert.Contains(Seed.FixtureTranscriptText, await StringsAsync(access), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceAddressesOlderThanSevenDaysAreReplacedByTheirKeyedHashAndTheRunIsAudited()
    {
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        await using var host = await AdminHost.StartAsync(clock);
        await host.PostWebhookAsync(Seed.Fixture(Conversation));
        var hasher = host.Services.GetRequiredService<SourceAddressHasher>();
        Assert.Equal("127.0.0.1", await AddressAsync(host));

        clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await hasher.HashExpiredAsync(CancellationToken.None));
        Assert.Equal("127.0.0.1", await AddressAsync(host));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'retention.source_address_hash'"));

        clock.Advance(TimeSpan.FromDays(1.1));
        Assert.Equal(1, await hasher.HashExpiredAsync(CancellationToken.None));
        Assert.Equal(hasher.HashOf("127.0.0.1"), await AddressAsync(host));
        Assert.StartsWith(SourceAddressHasher.HashPrefix, await AddressAsync(host), StringComparison.Ordinal);
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'retention.source_address_hash' AND actor = $1 AND details LIKE '%\"hashed\":\"1\"%'", SourceAddressHasher.Actor));
        // Hashed once: a later run finds nothing, and the record refuses any other change.
        Assert.Equal(0, await hasher.HashExpiredAsync(CancellationToken.None));
        await Assert.ThrowsAsync<PostgresException>(() => host.ExecuteAsync("UPDATE ingest.lineage SET kind = 'stored' WHERE kind = 'received'"));
    }

    // Every string of a JSON answer, unescaped, one per line (the API's encoder escapes Cyrillic and '+').
    private static async Task<string> StringsAsync(HttpResponseMessage response)
    {
        var strings = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var p in o) { Walk(p.Value); } break;
                case JsonArray a: foreach (var i in a) { Walk(i); } break;
                case JsonValue v when v.TryGetValue<string>(out var text): strings.Add(text); break;
            }
        }
        Walk(await response.Content.ReadFromJsonAsync<JsonNode>());
        return string.Join('\n', strings);
    }

    private static async Task<string> AddressAsync(AdminHost host)
    {
        await using var command = host.DataSource.CreateCommand("SELECT source_address FROM ingest.lineage WHERE conversation_id = $1 AND kind = 'received'");
        command.Parameters.Add(new NpgsqlParameter { Value = Conversation });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static byte[] AudioFixture(string conversationId, out byte[] plainAudio)
    {
        var json = JsonNode.Parse(Fixtures.Bytes("post_call_audio_small.json"))!.AsObject();
        json["data"]!["conversation_id"] = conversationId;
        plainAudio = Convert.FromBase64String(json["data"]!["full_audio"]!.GetValue<string>());
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static async Task<List<string>> RawTextsAsync(AdminHost host, string sql)
    {
        await using var command = host.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = Conversation });
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }
        return texts;
    }

    private static async Task<byte[]> RawAudioAsync(AdminHost host)
    {
        await using var command = host.DataSource.CreateCommand("SELECT audio FROM ingest.recordings WHERE conversation_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = Conversation });
        return (byte[])(await command.ExecuteScalarAsync())!;
    }
}
