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
        return new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), protector.OpenJson(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4));
    }
}
