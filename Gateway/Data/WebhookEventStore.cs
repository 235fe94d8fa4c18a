using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Data;

/// <summary>
/// Stores a batch of events in one transaction: one multi-row insert that skips (type, conversation_id) pairs
/// already present, the recordings of newly stored audio events, and the analysis jobs of newly stored
/// transcriptions. Re-running a batch (a replay after a crash) stores nothing twice.
/// </summary>
public sealed class WebhookEventStore(NpgsqlDataSource dataSource, IAnalysisJobEnqueuer jobs)
{
    // unnest keeps a fixed statement text whatever the batch size, so the plan is cached. Ids are drawn in the
    // batch's order (nextval runs as unnest produces rows), so they follow the order events were accepted; rows
    // are then inserted in key order, so that two batches sharing keys take the unique index's locks in the same
    // order and wait for each other instead of deadlocking. Of two equal keys in one batch the first is stored.
    private const string InsertEvents = """
        INSERT INTO ingest.webhook_events (id, event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at)
        SELECT e.id, e.event_type, e.event_timestamp, e.agent_id, e.conversation_id, e.payload::jsonb, e.trace_parent, e.received_at
        FROM (SELECT nextval('ingest.webhook_events_id_seq') AS id, u.*
              FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
                   WITH ORDINALITY AS u(event_type, event_timestamp, agent_id, conversation_id, payload, trace_parent, received_at, ord)) e
        ORDER BY e.event_type, e.conversation_id, e.ord
        ON CONFLICT (event_type, conversation_id) DO NOTHING
        RETURNING id, event_type, conversation_id
        """;

    private const string InsertRecording = """
        INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio)
        VALUES ($1, $2, 'audio/mpeg', $3, $4)
        """;

    /// <summary>One outcome per event, in order: <see cref="IngestOutcome.Stored"/> or <see cref="IngestOutcome.Duplicate"/>.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> StoreAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var inserted = new Dictionary<(string Type, string ConversationId), long>(events.Count);
        await using (var insert = new NpgsqlCommand(InsertEvents, connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.Type).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = events.Select(e => e.EventTimestamp).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.AgentId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.ConversationId).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.Payload).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = events.Select(e => e.TraceParent).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = events.Select(e => e.ReceivedAt.UtcDateTime).ToArray() });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted[(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
            }
        }

        var outcomes = new IngestOutcome[events.Count];
        var analysisJobs = new List<AnalysisJobRequest>();
        await using var recordings = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            // Remove, not TryGetValue: a key twice in one batch is stored once, for its first occurrence.
            if (!inserted.Remove((e.Type, e.ConversationId), out var eventId))
            {
                outcomes[i] = IngestOutcome.Duplicate;
                continue;
            }
            outcomes[i] = IngestOutcome.Stored;
            if (e.Type == WebhookEventTypes.Transcription)
            {
                analysisJobs.Add(new AnalysisJobRequest(eventId, e.ConversationId, e.TraceParent));
            }
            if (e.Audio is { } audio)
            {
                var command = new NpgsqlBatchCommand(InsertRecording);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = eventId });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.ConversationId });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = audio.Length });
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = audio, NpgsqlDbType = NpgsqlDbType.Bytea });
                recordings.BatchCommands.Add(command);
            }
        }
        if (recordings.BatchCommands.Count > 0)
        {
            await recordings.ExecuteNonQueryAsync(cancellationToken);
        }
        if (analysisJobs.Count > 0)
        {
            await jobs.EnqueueAsync(transaction, analysisJobs, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return outcomes;
    }
}
