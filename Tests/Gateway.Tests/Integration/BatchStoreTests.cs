using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoiceAnalytics.Gateway.Data;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration;

/// <summary>
/// The single-statement batch store: events, recordings and analysis jobs in one round trip and one
/// transaction, with duplicates decided per key inside the batch as well as against earlier batches.
/// </summary>
public sealed class BatchStoreTests
{
    private static string NewConversation(string tag) => $"conv_{tag}_{Guid.NewGuid():N}";

    private static WebhookEvent Event(string conversationId, string type = WebhookEventTypes.Transcription, byte[]? audio = null) =>
        new(type, conversationId, "agent_test", 1767607331, Encoding.UTF8.GetString(Fixtures.Transcription(conversationId, 100, type)),
            audio, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", DateTimeOffset.UtcNow);

    [Fact]
    public async Task DuplicatesInsideOneBatchAndAgainstEarlierBatchesAreStoredOnceWithTheirJobsAndRecordings()
    {
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("batch"));
        var store = host.Services.GetRequiredService<WebhookEventStore>();
        string earlier = NewConversation("earlier"), a = NewConversation("zz"), b = NewConversation("aa"), audio = NewConversation("audio");
        Assert.Equal([IngestOutcome.Stored], await store.StoreAsync([Event(earlier)], CancellationToken.None));

        var outcomes = await store.StoreAsync(
        [
            Event(a),
            Event(b),
            Event(a),                                        // same key later in the batch
            Event(b, WebhookEventTypes.TranscriptionOtel),   // same conversation, other type: its own event
            Event(earlier),                                  // stored by an earlier batch
            Event(audio, WebhookEventTypes.Audio, [1, 2, 3]),
            Event(audio, WebhookEventTypes.Audio, [9, 9]),   // a second copy of the audio: no second recording
        ], CancellationToken.None);

        Assert.Equal(
            [IngestOutcome.Stored, IngestOutcome.Stored, IngestOutcome.Duplicate, IngestOutcome.Stored, IngestOutcome.Duplicate, IngestOutcome.Stored, IngestOutcome.Duplicate],
            outcomes);
        Assert.Equal(5, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        // Jobs only for the stored transcriptions, each pointing at its own event, in acceptance order.
        Assert.Equal(3, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND kind = 'analyze'"));
        Assert.Equal(0, await host.ScalarAsync("""
            SELECT count(*) FROM jobs.jobs j JOIN ingest.webhook_events e ON e.id = (j.payload->>'event_id')::bigint
            WHERE j.queue = 'analysis' AND (e.conversation_id <> j.job_key OR e.event_type <> 'post_call_transcription' OR j.trace_parent IS DISTINCT FROM e.trace_parent)
            """));
        Assert.Equal(1, await host.ScalarAsync("""
            SELECT count(*) FROM ingest.recordings r JOIN ingest.webhook_events e ON e.id = r.event_id
            WHERE r.conversation_id = $1 AND r.byte_length = 3
            """, audio));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.recordings"));
        // Ids follow the batch's order ("a" first), not the key order rows are inserted in ("b" sorts first).
        Assert.True(await host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = $1 AND event_type = 'post_call_transcription'", a)
            < await host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = $1 AND event_type = 'post_call_transcription'", b));
    }

    [Fact]
    public async Task AStoredTranscriptionNotifiesTheAnalysisQueueAtCommit()
    {
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("notify"));
        var store = host.Services.GetRequiredService<WebhookEventStore>();
        await using var listener = new NpgsqlConnection(host.ConnectionString);
        await listener.OpenAsync();
        var notified = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Notification += (_, e) => notified.TrySetResult(e.Channel);
        await using (var listen = new NpgsqlCommand("LISTEN jobs_analysis", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await store.StoreAsync([Event(NewConversation("notify"))], CancellationToken.None);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await listener.WaitAsync(timeout.Token);
        Assert.Equal("jobs_analysis", await notified.Task);
    }

    [Fact]
    public async Task ABatchThatFailsPartWayStoresNothingOfItAndTheWebhookGoesToTheSpool()
    {
        await using var host = await GatewayHost.StartAsync(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("poison"));
        var store = host.Services.GetRequiredService<WebhookEventStore>();
        var poisoned = NewConversation("poisoned");
        // Fails the job insert, the statement's last step, after the events and recordings were inserted.
        await using (var connection = new NpgsqlConnection(host.ConnectionString))
        {
            await connection.OpenAsync();
            await using var trigger = new NpgsqlCommand($$"""
                CREATE FUNCTION jobs.refuse_job() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN IF NEW.job_key = '{{poisoned}}' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $f$;
                CREATE TRIGGER refuse_job BEFORE INSERT ON jobs.jobs FOR EACH ROW EXECUTE FUNCTION jobs.refuse_job();
                """, connection);
            await trigger.ExecuteNonQueryAsync();
        }
        string first = NewConversation("first"), audio = NewConversation("audio");

        await Assert.ThrowsAsync<PostgresException>(() => store.StoreAsync(
            [Event(first), Event(audio, WebhookEventTypes.Audio, [1]), Event(poisoned)], CancellationToken.None));

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events"));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM ingest.recordings"));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'"));

        // Through the edge: the failed batch is acknowledged as spooled, and is in the spool, not in Postgres.
        var response = await host.Client.SendAsync(new WebhookSigner(GatewayHost.Secret).CreateRequest(Fixtures.Transcription(poisoned)));
        Assert.Equal("spooled", (await GatewayFixture.JsonAsync(response)).GetProperty("outcome").GetString());
        Assert.Equal(0, await host.EventCountAsync(poisoned));
        // The replayer may be moving the file (events.jsonl → .replay → .rejected) while we look.
        var spoolDirectory = Path.GetDirectoryName(host.SpoolPath)!;
        await host.WaitUntilAsync(() => Task.FromResult(Directory.EnumerateFiles(spoolDirectory).Any(f => Holds(f, poisoned))), "the event in the spool");

        // The batches before and after are untouched by it.
        Assert.Equal([IngestOutcome.Stored, IngestOutcome.Stored], await store.StoreAsync([Event(first), Event(audio, WebhookEventTypes.Audio, [1])], CancellationToken.None));
    }

    private static bool Holds(string file, string text)
    {
        try
        {
            return File.ReadAllText(file).Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
