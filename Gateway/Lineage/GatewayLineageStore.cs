using System.Globalization;
using System.Text.Json;
using Npgsql;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// The gateway's own part of a lineage report, from the tables it owns: its step records (<c>ingest.lineage</c>) and
/// the call's facts from the stored transcription event, decrypted here and reduced to what the report shows.
/// </summary>
public sealed class GatewayLineageStore(NpgsqlDataSource dataSource, PiiProtector protector)
{
    public async Task<IReadOnlyList<LineageStep>> StepsAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, kind, occurred_at, event_id, event_type, source_address, source_address_hashed_at IS NOT NULL, details::text
            FROM ingest.lineage WHERE conversation_id = @conversation ORDER BY id
            """);
        command.Parameters.AddWithValue("conversation", conversationId);
        var steps = new List<LineageStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var kind = reader.GetString(1);
            var details = new Dictionary<string, string?>
            {
                ["event_id"] = reader.GetInt64(3).ToString(CultureInfo.InvariantCulture),
                ["event_type"] = reader.GetString(4),
            };
            if (!reader.IsDBNull(5))
            {
                details["source_address"] = reader.GetString(5);
                details["source_address_hashed"] = reader.GetBoolean(6) ? "true" : "false";
            }
            using var stepDetails = JsonDocument.Parse(reader.GetString(7));
            foreach (var property in stepDetails.RootElement.EnumerateObject())
            {
                details[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
            steps.Add(new LineageStep($"ingest:{reader.GetInt64(0)}", kind,
                kind == LineageStepKinds.Received ? "elevenlabs (signed webhook)" : "system:gateway",
                reader.GetFieldValue<DateTimeOffset>(2), kind == LineageStepKinds.Received ? "gateway: POST /webhooks/elevenlabs" : "gateway", details));
        }
        return steps;
    }

    public async Task<CallFacts> CallAsync(string conversationId, CancellationToken cancellationToken)
    {
        string? payload = null;
        await using (var command = dataSource.CreateCommand("""
            SELECT payload::text FROM ingest.webhook_events
            WHERE conversation_id = @conversation AND event_type = 'post_call_transcription'
            """))
        {
            command.Parameters.AddWithValue("conversation", conversationId);
            payload = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        var recordings = new List<long>();
        await using (var command = dataSource.CreateCommand("SELECT id FROM ingest.recordings WHERE conversation_id = @conversation ORDER BY id"))
        {
            command.Parameters.AddWithValue("conversation", conversationId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recordings.Add(reader.GetInt64(0));
            }
        }
        if (payload is null)
        {
            return CallFacts.None with { Held = recordings.Count > 0, RecordingIds = recordings };
        }
        using var document = JsonDocument.Parse(protector.OpenJson(payload));
        var data = document.RootElement.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : document.RootElement;
        var phone = CallerNumber.Of(document.RootElement);
        var duration = Number(data, "metadata", "call_duration_secs");
        var started = Number(data, "metadata", "start_time_unix_secs");
        return new CallFacts(true, PhoneMask.Mask(phone), Text(data, "agent_id"), duration is { } seconds ? (int)seconds : null,
            started is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : null, recordings);
    }

    private static JsonElement? At(JsonElement element, string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element;
    }

    private static string? Text(JsonElement element, params string[] path) =>
        At(element, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static long? Number(JsonElement element, params string[] path) =>
        At(element, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;
}
