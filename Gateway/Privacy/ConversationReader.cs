using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Reads conversations for the admin API. The gateway's own tables (events, transcripts, recordings, the
/// caller-number hash) are read here; what other services own comes from their gRPC APIs (<see cref="OwnerReads"/>):
/// analyses, outcomes and analysed-phone matches from the analysis service, export state from the CRM service.
/// Nothing here reads <c>analysis.*</c> or <c>crm.*</c>. Phones are matched through keyed hashes, never in plain text.
/// </summary>
public sealed class ConversationReader(NpgsqlDataSource dataSource, PiiProtector protector, PhoneLookupIndexer phoneIndex, OwnerReads owners)
{
    public const int MaxLimit = 200;

    /// <summary>Conversations read from the gateway's events per round trip while filtering by outcome.</summary>
    private const int OutcomePageSize = OwnerReads.BatchSize;

    /// <summary>
    /// Conversations newest first. The agent and time filters apply to the gateway's events; a phone matches the
    /// caller number (the gateway's hash) or the analysed phone (asked from the analysis service); the outcome is the
    /// latest analysis version's, asked from the analysis service for each page of the gateway's conversations until
    /// the page is full (so a rare outcome costs more round trips, never a join into another service's schema).
    /// </summary>
    public async Task<IReadOnlyList<ConversationSummary>> SearchAsync(ConversationSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = Math.Clamp(search.Limit ?? 50, 1, MaxLimit);
        IReadOnlyList<string>? onlyIds = search.Phone is null ? null : await ConversationIdsByPhoneAsync(search.Phone, cancellationToken);
        if (onlyIds is { Count: 0 })
        {
            return [];
        }

        var results = new List<ConversationSummary>();
        var cursor = search.Before is { } before ? new Cursor(before, null) : null;
        while (true)
        {
            var pageSize = search.Outcome is null ? limit : OutcomePageSize;
            var page = await OwnConversationsAsync(search, onlyIds, cursor, pageSize, cancellationToken);
            var ids = page.Select(c => c.ConversationId).ToArray();
            var outcomes = await owners.OutcomesAsync(ids, cancellationToken);
            if (outcomes is null && search.Outcome is not null)
            {
                throw new OwnerUnavailableException(OwnerReads.Analysis);
            }
            var matching = page.Where(c => search.Outcome is null || (outcomes!.TryGetValue(c.ConversationId, out var o) && o.Outcome == search.Outcome))
                .Take(limit - results.Count).ToList();
            var exports = matching.Count == 0 ? null : await owners.ExportStatesAsync([.. matching.Select(c => c.ConversationId)], cancellationToken);
            foreach (var c in matching)
            {
                var outcome = outcomes?.GetValueOrDefault(c.ConversationId);
                results.Add(c with
                {
                    Outcome = NullIfEmpty(outcome?.Outcome),
                    Topic = NullIfEmpty(outcome?.Topic),
                    AnalysisVersion = outcome?.Version,
                    ExportState = exports?.GetValueOrDefault(c.ConversationId),
                });
            }
            if (results.Count >= limit || page.Count < pageSize)
            {
                return results;
            }
            cursor = new Cursor(page[^1].FirstReceivedAt, page[^1].ConversationId);
        }
    }

    private sealed record Cursor(DateTimeOffset FirstReceivedAt, string? ConversationId);

    /// <summary>A page of the gateway's own conversations (newest first, after the cursor), without the owners' fields.</summary>
    private async Task<List<ConversationSummary>> OwnConversationsAsync(
        ConversationSearch search, IReadOnlyList<string>? onlyIds, Cursor? cursor, int pageSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH c AS (
                SELECT conversation_id, min(agent_id) AS agent_id, min(received_at) AS first_received_at,
                       array_agg(DISTINCT event_type ORDER BY event_type) AS types
                FROM ingest.webhook_events
                WHERE (@agent::text IS NULL OR agent_id = @agent)
                  AND (@ids::text[] IS NULL OR conversation_id = ANY(@ids))
                GROUP BY conversation_id)
            SELECT conversation_id, agent_id, first_received_at, types
            FROM c
            WHERE (@from::timestamptz IS NULL OR first_received_at >= @from)
              AND (@to::timestamptz IS NULL OR first_received_at < @to)
              AND (@after::timestamptz IS NULL
                   OR first_received_at < @after
                   OR (@afterId::text IS NOT NULL AND first_received_at = @after AND conversation_id > @afterId))
            ORDER BY first_received_at DESC, conversation_id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("agent", NpgsqlDbType.Text, (object?)search.AgentId ?? DBNull.Value);
        command.Parameters.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, (object?)onlyIds?.ToArray() ?? DBNull.Value);
        command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, (object?)search.From ?? DBNull.Value);
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, (object?)search.To ?? DBNull.Value);
        command.Parameters.AddWithValue("after", NpgsqlDbType.TimestampTz, (object?)cursor?.FirstReceivedAt ?? DBNull.Value);
        command.Parameters.AddWithValue("afterId", NpgsqlDbType.Text, (object?)cursor?.ConversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", pageSize);

        var page = new List<ConversationSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new ConversationSummary(
                reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetFieldValue<string[]>(3), null, null, null, null));
        }
        return page;
    }

    /// <summary>Conversation ids read per round trip when a subject request collects every conversation of a phone.</summary>
    public const int IdPageSize = 500;

    /// <summary>
    /// The ids of every conversation whose caller number (the gateway's own hash) or analysed phone (the analysis
    /// service's, through FindConversationsByPhone) is <paramref name="phone"/>, however many: a subject request must
    /// cover all of them, so the gateway's side pages by id instead of stopping at a limit, and an analysis service
    /// that does not answer fails the call (<see cref="OwnerUnavailableException"/>) rather than shrink the answer.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConversationIdsByPhoneAsync(string phone, CancellationToken cancellationToken)
    {
        if (protector.PhoneLookupHash(phone) is not { } phoneHash)
        {
            return [];
        }
        var analysed = await owners.ConversationsByAnalysedPhoneAsync(phone, cancellationToken);
        await phoneIndex.CatchUpAsync(cancellationToken);
        var ids = new SortedSet<string>(analysed, StringComparer.Ordinal);
        var after = "";
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                SELECT DISTINCT conversation_id COLLATE "C" FROM ingest.webhook_events
                WHERE phone_hash = @phone AND conversation_id > @after COLLATE "C"
                ORDER BY 1 LIMIT @page
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
            ids.UnionWith(page);
            if (page.Count < IdPageSize)
            {
                return [.. ids];
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
            var analyses = await owners.ListAnalysesAsync(conversationId, cancellationToken);
            var (exportAnswered, export) = await owners.GetExportAsync(conversationId, cancellationToken);
            return new ConversationDetail(
                conversationId, agent, TraceIdOf(events.Select(e => e.TraceParent).FirstOrDefault(t => t is not null)), events,
                await RecordingsAsync(conversationId, includeAudio, cancellationToken),
                analyses ?? [],
                export,
                await JobsAsync(conversationId, cancellationToken))
            {
                Unavailable = [.. new[] { (OwnerReads.Analysis, analyses is not null), (OwnerReads.Crm, exportAnswered) }.Where(o => !o.Item2).Select(o => o.Item1)],
            };
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

    // The shared queue's jobs (infrastructure, like a broker's), read directly: they belong to no one service.
    private async Task<IReadOnlyList<StoredJob>> JobsAsync(string conversationId, CancellationToken cancellationToken) =>
        [.. (await JobHistory.ListAsync(dataSource, conversationId, cancellationToken))
            .Select(j => new StoredJob(j.Queue, j.Id, j.Kind, j.State, j.Attempts, j.LastError, j.CreatedAt))];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? TraceIdOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
