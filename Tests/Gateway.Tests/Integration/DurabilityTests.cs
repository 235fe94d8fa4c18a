using System.Buffers;
using System.Net;
using System.Text;
using Npgsql;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>Nothing acknowledged is lost: Postgres outages, crashes mid-replay, and an unwritable spool.</summary>
public sealed class DurabilityTests
{
    private static string NewConversation(string tag) => $"conv_{tag}_{Guid.NewGuid():N}";

    [Fact]
    public async Task WebhooksDuringAPostgresOutageAreSpooledAcknowledgedAndStoredOnceWhenItIsBack()
    {
        await using var cluster = await ThrowawayPostgres.StartAsync();
        await using var host = await GatewayHost.StartAsync(await cluster.CreateDatabaseAsync("outage"));
        var signer = new WebhookSigner(GatewayHost.Secret);
        var before = Enumerable.Range(0, 3).Select(_ => NewConversation("before")).ToList();
        foreach (var conversation in before)
        {
            Assert.Equal("stored", await PostAsync(host, signer, Fixtures.Transcription(conversation)));
        }

        await cluster.StopServerAsync();
        var during = Enumerable.Range(0, 12).Select(_ => NewConversation("during")).ToList();
        foreach (var conversation in during)
        {
            Assert.Equal("spooled", await PostAsync(host, signer, Fixtures.Transcription(conversation)));
        }
        var audioConversation = NewConversation("audio");
        var audio = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        Assert.Equal("spooled", await PostAsync(host, signer, Encoding.UTF8.GetBytes(
            $$$"""{"type":"post_call_audio","event_timestamp":"1767607339","data":{"conversation_id":"{{{audioConversation}}}","full_audio":"{{{Convert.ToBase64String(audio)}}}"}}""")));
        // ElevenLabs retrying one that was already stored before the outage: spooled too, stored once.
        Assert.Equal("spooled", await PostAsync(host, signer, Fixtures.Transcription(before[0])));
        // The replayer may already have set the spool aside (.replay) for its first, failing, attempt.
        Assert.Equal(during.Count + 2, new[] { host.SpoolPath, host.SpoolPath + ".replay" }.Where(File.Exists).Sum(f => File.ReadLines(f).Count()));

        await cluster.StartServerAsync();
        await host.WaitUntilAsync(async () => !File.Exists(host.SpoolPath) && !File.Exists(host.SpoolPath + ".replay")
            && await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events") == before.Count + during.Count + 1, "spool replayed");

        foreach (var conversation in before.Concat(during))
        {
            Assert.Equal(1, await host.EventCountAsync(conversation));
            Assert.Equal(1, await host.JobCountAsync(conversation));
        }
        Assert.Equal(audio, await AudioAsync(host, audioConversation));
        Assert.Equal(1767607339, await host.ScalarAsync("SELECT event_timestamp FROM ingest.webhook_events WHERE conversation_id = $1", audioConversation));
        // Replayed in the order they were accepted.
        var ids = new List<long>();
        foreach (var conversation in during)
        {
            ids.Add(await host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = $1", conversation));
        }
        Assert.Equal(ids.Order(), ids);
        // Each spooled event's lineage tells the detour, in order: received, spooled, replayed, stored; one that
        // went straight in has no spool steps.
        Assert.Equal("received,spooled,replayed,stored", await LineageKindsAsync(host, during[0]));
        Assert.Equal("received,stored", await LineageKindsAsync(host, before[1]));
        // And afterwards webhooks go straight to Postgres again.
        Assert.Equal("stored", await PostAsync(host, signer, Fixtures.Transcription(NewConversation("after"))));
    }

    [Fact]
    public async Task ReplayInterruptedAfterItsCommitStoresEachEventExactlyOnce()
    {
        var database = await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("crash");
        var signer = new WebhookSigner(GatewayHost.Secret);
        var committed = Enumerable.Range(0, 3).Select(_ => NewConversation("committed")).ToList();
        var pending = Enumerable.Range(0, 2).Select(_ => NewConversation("pending")).ToList();
        var spoolPath = Path.Combine(Path.GetTempPath(), $"va-gw-crash-{Guid.NewGuid():N}", "events.jsonl");
        await using (var first = await GatewayHost.StartAsync(database))
        {
            foreach (var conversation in committed)
            {
                Assert.Equal("stored", await PostAsync(first, signer, Fixtures.Transcription(conversation)));
            }
        }

        // The state a crash leaves behind when it strikes after the replay's commit but before the file's
        // deletion: every line is in Postgres already (the first three) or not yet (the last two), plus a line
        // torn by a crash mid-append.
        Directory.CreateDirectory(Path.GetDirectoryName(spoolPath)!);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var conversation in committed.Concat(pending))
        {
            SpoolCodec.Write(buffer, new WebhookEvent("post_call_transcription", conversation, "agent", 1, Encoding.UTF8.GetString(Fixtures.Transcription(conversation)),
                null, null, DateTimeOffset.UtcNow));
        }
        buffer.Write("""{"type":"post_call_transcription","conversa"""u8);
        await File.WriteAllBytesAsync(spoolPath + ".replay", buffer.WrittenMemory.ToArray());

        await using var second = await GatewayHost.StartAsync(database, new Dictionary<string, string?> { ["WEBHOOK_SPOOL_PATH"] = spoolPath });
        await second.WaitUntilAsync(() => Task.FromResult(!File.Exists(spoolPath + ".replay")), "replay finished");

        foreach (var conversation in committed.Concat(pending))
        {
            Assert.Equal(1, await second.EventCountAsync(conversation));
            Assert.Equal(1, await second.JobCountAsync(conversation));
        }
        Assert.Single(File.ReadLines(spoolPath + ".replay.rejected")); // the torn line, set aside
        Directory.Delete(Path.GetDirectoryName(spoolPath)!, recursive: true);
    }

    [Fact]
    public async Task PostgresDownAndSpoolUnwritableIsAnswered503()
    {
        var blocker = Path.GetTempFileName(); // a file where the spool's directory should be
        try
        {
            var unreachable = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Username = "postgres", Timeout = 2 }.ConnectionString;
            await using var host = await GatewayHost.StartAsync(unreachable,
                new Dictionary<string, string?> { ["WEBHOOK_SPOOL_PATH"] = Path.Combine(blocker, "events.jsonl") }, waitForMigrations: false);

            var response = await host.Client.SendAsync(new WebhookSigner(GatewayHost.Secret).CreateRequest(Fixtures.Transcription(NewConversation("lost"))));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("spool_unavailable", (await GatewayFixture.JsonAsync(response)).GetProperty("error").GetString());
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    private static async Task<string> PostAsync(GatewayHost host, WebhookSigner signer, byte[] body)
    {
        var response = await host.Client.SendAsync(signer.CreateRequest(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await GatewayFixture.JsonAsync(response)).GetProperty("outcome").GetString()!;
    }

    private static async Task<string> LineageKindsAsync(GatewayHost host, string conversationId)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(kind, ',' ORDER BY occurred_at, id) FROM ingest.lineage WHERE conversation_id = $1", connection)
        { Parameters = { new() { Value = conversationId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<byte[]> AudioAsync(GatewayHost host, string conversationId)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT audio FROM ingest.recordings WHERE conversation_id = $1", connection)
        { Parameters = { new() { Value = conversationId } } };
        return host.Protector.UnprotectBytes((byte[])(await command.ExecuteScalarAsync())!);
    }
}
