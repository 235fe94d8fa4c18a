using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.Gateway.Data;

/// <summary>
/// Stores a batch of events in one round trip and one transaction: a single statement inserts the events,
/// skipping (type, conversation_id) pairs already present, the recordings of newly stored audio events and the
/// analysis jobs of newly stored transcriptions; a second statement in the same message notifies the queue's
/// listeners. Re-running a batch (a replay after a crash) stores nothing twice.
/// </summary>
public sealed class WebhookEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _storeSql;
    private readonly string _notifyChannel;
    private readonly ErasureTombstones _tombstones;
    private readonly PayloadSealer _sealer;

    public WebhookEventStore(NpgsqlDataSource dataSource, [FromKeyedServices(PipelineJobs.Analysis.Queue)] JobQueue analysisQueue, ErasureTombstones tombstones,
        PayloadSealer sealer)
    {
        _sealer = sealer;
        _dataSource = dataSource;
        _tombstones = tombstones;
        _storeSql = StoreSql(analysisQueue.TableName);
        _notifyChannel = analysisQueue.NotifyChannel;
    }

    // One statement, so one round trip, and, with no explicit transaction, atomic on its own (the notification
    // rides in the same implicit transaction: Npgsql sends both with one Sync). unnest keeps a fixed text whatever
    // the batch size, so the statement is prepared once. Ids are drawn in the batch's order (nextval runs as unnest
    // produces rows; the CTE is materialised once), so they follow the order events were accepted; rows are then
    // inserted in key order, so that two batches sharing keys take the unique index's locks in the same order and
    // wait for each other instead of deadlocking. Of two equal keys in one batch the first is stored: ON CONFLICT
    // DO NOTHING also skips a row that conflicts with one inserted earlier by the same statement. An event of an
    // erased conversation (its keyed hash has a tombstone) is not inserted at all. The ordinals of the stored
    // events come back, and those of the erased ones flagged; every other event was a duplicate. Each stored event
    // also gets its lineage records (received, spooled and replayed if it was, stored) in the same statement, so
    // the pipeline's own steps cost no extra round trip.
    private static string StoreSql(string jobsTable) => $"""
        WITH input AS MATERIALIZED (
            SELECT nextval('ingest.webhook_events_id_seq') AS id, u.*
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bytea[], $9::text[],
                        $10::text[], $11::text[], $12::timestamptz[], $13::int[])
                 WITH ORDINALITY AS u(event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at, audio, conversation_hash,
                                      phone_hash, source_address, spooled_at, audio_length, ord)),
        erased AS MATERIALIZED (
            SELECT i.ord FROM input i JOIN ingest.erased_conversations t ON t.conversation_hash = i.conversation_hash),
        events AS (
            INSERT INTO ingest.webhook_events (id, event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at, phone_hash)
            SELECT i.id, i.event_type, i.event_timestamp, i.agent_id, i.conversation_id, i.payload::jsonb, i.trace_parent, i.received_at, i.phone_hash
            FROM input i
            WHERE i.ord NOT IN (SELECT ord FROM erased)
            ORDER BY i.event_type, i.conversation_id, i.ord
            ON CONFLICT (event_type, conversation_id) DO NOTHING
            RETURNING id),
        stored AS MATERIALIZED (
            SELECT i.* FROM input i JOIN events e ON e.id = i.id),
        recordings AS (
            INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio)
            SELECT s.id, s.conversation_id, 'audio/mpeg', s.audio_length, s.audio
            FROM stored s WHERE s.audio IS NOT NULL),
        lineage AS (
            INSERT INTO ingest.lineage (conversation_id, kind, occurred_at, event_id, event_type, source_address, details)
            SELECT s.conversation_id, k.kind, k.at, s.id, s.event_type, k.address, k.details
            FROM stored s CROSS JOIN LATERAL (VALUES
                (1, 'received', s.received_at, s.source_address, jsonb_build_object('signature_verified', true)),
                (2, 'spooled', s.spooled_at, NULL, jsonb_build_object()),
                (3, 'replayed', CASE WHEN s.spooled_at IS NOT NULL THEN now() END, NULL, jsonb_build_object()),
                (4, 'stored', now(), NULL, jsonb_build_object('encrypted', true, 'recording', s.audio IS NOT NULL))
            ) AS k(n, kind, at, address, details)
            WHERE k.at IS NOT NULL
            ORDER BY s.ord, k.n),
        jobs AS (
            INSERT INTO {jobsTable} (queue, kind, job_key, payload, trace_parent)
            SELECT '{PipelineJobs.Analysis.Queue}', '{PipelineJobs.Analysis.Analyze}', s.conversation_id,
                   jsonb_build_object('{AnalyzeJobPayload.EventIdField}', s.id), s.trace_parent
            FROM stored s WHERE s.event_type = '{WebhookEventTypes.Transcription}'
            ORDER BY s.ord)
        SELECT ord, false FROM stored
        UNION ALL
        SELECT ord, true FROM erased
        """;

    /// <summary>
    /// One outcome per event, in order: <see cref="IngestOutcome.Stored"/>, <see cref="IngestOutcome.Duplicate"/> or
    /// <see cref="IngestOutcome.Erased"/>.
    /// </summary>
    public async Task<IReadOnlyList<IngestOutcome>> StoreAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        var count = events.Count;
        var types = new string[count];
        var timestamps = new long?[count];
        var agents = new string?[count];
        var conversations = new string[count];
        var payloads = new string[count];
        var traceParents = new string?[count];
        var receivedAt = new DateTime[count];
        var audio = new byte[]?[count];
        var hashes = new string[count];
        var phoneHashes = new string?[count];
        var sources = new string?[count];
        var spooledAt = new DateTime?[count];
        var audioLengths = new int?[count];
        var anyTranscription = false;
        for (var i = 0; i < count; i++)
        {
            // Sealed already at ingest; a spool line written before encryption is sealed here, so nothing is stored in clear.
            var e = _sealer.Seal(events[i]);
            types[i] = e.Type;
            timestamps[i] = e.EventTimestamp;
            agents[i] = e.AgentId;
            conversations[i] = e.ConversationId;
            payloads[i] = e.Payload;
            traceParents[i] = e.TraceParent;
            receivedAt[i] = e.ReceivedAt.UtcDateTime;
            audio[i] = e.Audio;
            hashes[i] = _tombstones.HashOf(e.ConversationId);
            phoneHashes[i] = e.PhoneHash;
            sources[i] = e.SourceAddress;
            spooledAt[i] = e.SpooledAt?.UtcDateTime;
            audioLengths[i] = e.Audio is { } sealedAudio ? PiiBytes.PlainLength(sealedAudio) : null;
            anyTranscription |= e.Type == WebhookEventTypes.Transcription;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var store = new NpgsqlBatchCommand(_storeSql);
        store.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = types });
        store.Parameters.Add(new NpgsqlParameter<long?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = timestamps });
        store.Parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = agents });
        store.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = conversations });
        store.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = payloads });
        store.Parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = traceParents });
        store.Parameters.Add(new NpgsqlParameter<DateTime[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = receivedAt });
        store.Parameters.Add(new NpgsqlParameter<byte[]?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = audio });
        store.Parameters.Add(new NpgsqlParameter<string[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = hashes });
        store.Parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = phoneHashes });
        store.Parameters.Add(new NpgsqlParameter<string?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = sources });
        store.Parameters.Add(new NpgsqlParameter<DateTime?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, TypedValue = spooledAt });
        store.Parameters.Add(new NpgsqlParameter<int?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = audioLengths });
        batch.BatchCommands.Add(store);
        if (anyTranscription)
        {
            // Delivered at commit, and only then. When every transcription was a duplicate this wakes a worker
            // for nothing, which costs it one empty claim: cheaper than a second round trip to find out.
            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, '')");
            notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _notifyChannel });
            batch.BatchCommands.Add(notify);
        }

        var outcomes = new IngestOutcome[count];
        Array.Fill(outcomes, IngestOutcome.Duplicate);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                outcomes[reader.GetInt64(0) - 1] = reader.GetBoolean(1) ? IngestOutcome.Erased : IngestOutcome.Stored;
            }
        }
        return outcomes;
    }
}
