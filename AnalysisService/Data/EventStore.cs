using Npgsql;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// Reads the gateway's stored webhook events (<c>ingest.webhook_events</c>); never writes them. The gateway stores
/// each payload sealed (one encrypted JSON string); it is opened here, and a payload stored before encryption is
/// read as it is.
/// </summary>
public sealed class EventStore(NpgsqlDataSource dataSource, PiiProtector protector)
{
    /// <summary>The event type an analysis reads.</summary>
    public const string TranscriptionEvent = "post_call_transcription";

    public async Task<StoredEvent?> GetAsync(long eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, event_type, conversation_id, payload::text, trace_parent FROM ingest.webhook_events WHERE id = @id
            """);
        command.Parameters.AddWithValue("id", eventId);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>
    /// The event with whether an analysis of it exists, in one round trip: what the analysis worker reads for each
    /// job (the existence check is on the analysis service's own table).
    /// </summary>
    public async Task<EventForAnalysis?> GetForAnalysisAsync(long eventId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT e.id, e.event_type, e.conversation_id, e.payload::text, e.trace_parent,
                   EXISTS (SELECT FROM analysis.analyses a WHERE a.event_id = e.id)
            FROM ingest.webhook_events e WHERE e.id = @id
            """);
        command.Parameters.AddWithValue("id", eventId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new EventForAnalysis(ReadEvent(reader), reader.GetBoolean(5)) : null;
    }

    /// <summary>
    /// <see cref="GetForAnalysisAsync(long, CancellationToken)"/> for many events in one query: what the analysis
    /// worker reads for a claimed batch. An event that does not exist is missing from the answer.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, EventForAnalysis>> GetForAnalysisAsync(IReadOnlyCollection<long> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var found = new Dictionary<long, EventForAnalysis>();
        if (eventIds.Count == 0)
        {
            return found;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT e.id, e.event_type, e.conversation_id, e.payload::text, e.trace_parent,
                   EXISTS (SELECT FROM analysis.analyses a WHERE a.event_id = e.id)
            FROM ingest.webhook_events e WHERE e.id = ANY(@ids)
            """);
        command.Parameters.AddWithValue("ids", eventIds.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var stored = ReadEvent(reader);
            found[stored.Id] = new EventForAnalysis(stored, reader.GetBoolean(5));
        }
        return found;
    }

    /// <summary>The conversation's transcription event (the one an analysis reads), if stored.</summary>
    public async Task<StoredEvent?> FindTranscriptionAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, event_type, conversation_id, payload::text, trace_parent FROM ingest.webhook_events
            WHERE conversation_id = @conversation AND event_type = @type ORDER BY id DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("conversation", conversationId);
        command.Parameters.AddWithValue("type", TranscriptionEvent);
        return await ReadOneAsync(command, cancellationToken);
    }

    private async Task<StoredEvent?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return ReadEvent(reader);
    }

    private StoredEvent ReadEvent(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), protector.OpenJson(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4));
}
