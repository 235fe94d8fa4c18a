using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Reads conversations across the services' schemas (ingest, analysis, crm) for the admin API: lists and
/// searches (phone through the keyed hash, never a plaintext comparison) and one conversation in full, with
/// every encrypted value decrypted.
/// </summary>
public sealed class ConversationReader(NpgsqlDataSource dataSource, SchemaProbe schema, PiiProtector protector, PhoneLookupIndexer phoneIndex)
{
    public const int MaxLimit = 200;

    public async Task<IReadOnlyList<ConversationSummary>> SearchAsync(ConversationSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var hasAnalyses = await schema.HasTableAsync("analysis.analyses", cancellationToken);
        var hasExports = await schema.HasTableAsync("crm.exports", cancellationToken);
        var analysisPhone = hasAnalyses && await schema.HasColumnAsync("analysis.analyses", "phone_hash", cancellationToken);
        var phoneHash = search.Phone is null ? null : protector.PhoneLookupHash(search.Phone) ?? "no-such-hash";
        if (phoneHash is not null)
        {
            await phoneIndex.CatchUpAsync(cancellationToken);
        }

        var latest = hasAnalyses
            ? "LEFT JOIN LATERAL (SELECT result->>'outcome' AS outcome, result->>'topic' AS topic, version FROM analysis.analyses a " +
              "WHERE a.conversation_id = c.conversation_id ORDER BY version DESC LIMIT 1) a ON true"
            : "LEFT JOIN LATERAL (SELECT NULL::text AS outcome, NULL::text AS topic, NULL::int AS version) a ON true";
        var export = hasExports
            ? "LEFT JOIN crm.exports x ON x.conversation_id = c.conversation_id"
            : "LEFT JOIN LATERAL (SELECT NULL::text AS state) x ON true";
        var phoneInAnalyses = analysisPhone
            ? " OR EXISTS (SELECT 1 FROM analysis.analyses p WHERE p.conversation_id = c.conversation_id AND p.phone_hash = @phone)"
            : "";

        await using var command = dataSource.CreateCommand($"""
            WITH c AS (
                SELECT conversation_id, min(agent_id) AS agent_id, min(received_at) AS first_received_at,
                       array_agg(DISTINCT event_type ORDER BY event_type) AS types
                FROM ingest.webhook_events
                WHERE (@agent::text IS NULL OR agent_id = @agent)
                GROUP BY conversation_id)
            SELECT c.conversation_id, c.agent_id, c.first_received_at, c.types, a.outcome, a.topic, a.version, x.state
            FROM c {latest} {export}
            WHERE (@from::timestamptz IS NULL OR c.first_received_at >= @from)
              AND (@to::timestamptz IS NULL OR c.first_received_at < @to)
              AND (@before::timestamptz IS NULL OR c.first_received_at < @before)
              AND (@outcome::text IS NULL OR a.outcome = @outcome)
              AND (@phone::text IS NULL
                   OR EXISTS (SELECT 1 FROM ingest.webhook_events pe WHERE pe.conversation_id = c.conversation_id AND pe.phone_hash = @phone){phoneInAnalyses})
            ORDER BY c.first_received_at DESC, c.conversation_id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)search.AgentId ?? DBNull.Value);
        command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, (object?)search.From ?? DBNull.Value);
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, (object?)search.To ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlDbType.TimestampTz, (object?)search.Before ?? DBNull.Value);
        command.Parameters.AddWithValue("outcome", NpgsqlDbType.Text, (object?)search.Outcome ?? DBNull.Value);
        command.Parameters.AddWithValue("phone", NpgsqlDbType.Text, (object?)phoneHash ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", Math.Clamp(search.Limit ?? 50, 1, MaxLimit));

        var results = new List<ConversationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new ConversationSummary(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return results;
    }

    /// <summary>Conversation ids read per round trip when a subject request collects every conversation of a phone.</summary>
    public const int IdPageSize = 500;

    /// <summary>
    /// The ids of every conversation whose caller number or analysed phone is <paramref name="phone"/>, however many:
    /// a subject request must cover all of them, so this pages through them by id instead of stopping at a limit.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConversationIdsByPhoneAsync(string phone, CancellationToken cancellationToken)
    {
        if (protector.PhoneLookupHash(phone) is not { } phoneHash)
        {
            return [];
        }
        await phoneIndex.CatchUpAsync(cancellationToken);
        var analysisPhone = await schema.HasTableAsync("analysis.analyses", cancellationToken)
            && await schema.HasColumnAsync("analysis.analyses", "phone_hash", cancellationToken);
        var inAnalyses = analysisPhone
            ? "UNION SELECT conversation_id FROM analysis.analyses WHERE phone_hash = @phone AND conversation_id > @after COLLATE \"C\""
            : "";
        var ids = new List<string>();
        var after = "";
        while (true)
        {
            await using var command = dataSource.CreateCommand($"""
                SELECT conversation_id FROM (
                    SELECT conversation_id FROM ingest.webhook_events WHERE phone_hash = @phone AND conversation_id > @after COLLATE "C"
                    {inAnalyses}) found
                ORDER BY conversation_id COLLATE "C" LIMIT @page
                """);
            command.Parameters.AddWithValue("phone", phoneHash);
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("page", IdPageSize);
            var page = new List<string>(IdPageSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(reader.GetString(0));
                }
            }
            ids.AddRange(page);
            if (page.Count < IdPageSize)
            {
                return ids;
            }
            after = page[^1];
        }
    }

    /// <summary>One conversation in full, decrypted; null when nothing is held about it.</summary>
    public async Task<ConversationDetail?> GetAsync(string conversationId, bool includeAudio, CancellationToken cancellationToken)
    {
        var events = new List<StoredEvent>();
        await using (var command = dataSource.CreateCommand("""
            SELECT id, event_type, event_timestamp, received_at, trace_parent, payload::text, agent_id
            FROM ingest.webhook_events WHERE conversation_id = @id ORDER BY id
            """))
        {
            command.Parameters.AddWithValue("id", conversationId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            string? agent = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(new StoredEvent(
                    reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    protector.UnprotectStrings(JsonNode.Parse(protector.OpenJson(reader.GetString(5))))));
                agent ??= reader.IsDBNull(6) ? null : reader.GetString(6);
            }
            if (events.Count == 0)
            {
                return null;
            }
            return new ConversationDetail(
                conversationId, agent, TraceIdOf(events.Select(e => e.TraceParent).FirstOrDefault(t => t is not null)), events,
                await RecordingsAsync(conversationId, includeAudio, cancellationToken),
                await AnalysesAsync(conversationId, cancellationToken),
                await ExportAsync(conversationId, cancellationToken),
                await JobsAsync(conversationId, cancellationToken));
        }
    }

    private async Task<IReadOnlyList<StoredRecording>> RecordingsAsync(string conversationId, bool includeAudio, CancellationToken cancellationToken)
    {
        var recordings = new List<StoredRecording>();
        await using var command = dataSource.CreateCommand(
            $"SELECT id, content_type, byte_length, created_at{(includeAudio ? ", audio" : "")} FROM ingest.recordings WHERE conversation_id = @id ORDER BY id");
        command.Parameters.AddWithValue("id", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recordings.Add(new StoredRecording(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3),
                includeAudio ? Convert.ToBase64String(protector.UnprotectBytes(reader.GetFieldValue<byte[]>(4))) : null));
        }
        return recordings;
    }

    private async Task<IReadOnlyList<StoredAnalysis>> AnalysesAsync(string conversationId, CancellationToken cancellationToken)
    {
        var analyses = new List<StoredAnalysis>();
        if (!await schema.HasTableAsync("analysis.analyses", cancellationToken))
        {
            return analyses;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT id, version, model, prompt_version, result::text, reason, created_at
            FROM analysis.analyses WHERE conversation_id = @id ORDER BY version
            """);
        command.Parameters.AddWithValue("id", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            analyses.Add(new StoredAnalysis(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                protector.UnprotectStrings(JsonNode.Parse(reader.GetString(4))), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return analyses;
    }

    private async Task<StoredExport?> ExportAsync(string conversationId, CancellationToken cancellationToken)
    {
        if (!await schema.HasTableAsync("crm.exports", cancellationToken))
        {
            return null;
        }
        await using var command = dataSource.CreateCommand("""
            SELECT state, attempts, last_error, crm_record_id::text, sink, updated_at, exported_at
            FROM crm.exports WHERE conversation_id = @id
            """);
        command.Parameters.AddWithValue("id", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredExport(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6))
            : null;
    }

    private async Task<IReadOnlyList<StoredJob>> JobsAsync(string conversationId, CancellationToken cancellationToken)
    {
        var jobs = new List<StoredJob>();
        foreach (var queue in new[] { "analysis", "crm" })
        {
            if (!await schema.HasTableAsync($"{queue}.jobs", cancellationToken))
            {
                continue;
            }
            await using var command = dataSource.CreateCommand(
                $"SELECT id, kind, state, attempts, last_error, created_at FROM {queue}.jobs WHERE job_key = @id ORDER BY id");
            command.Parameters.AddWithValue("id", conversationId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                jobs.Add(new StoredJob(queue, reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        return jobs;
    }

    private static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
