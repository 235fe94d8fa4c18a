using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary><c>analysis.analyses</c>: versioned verdicts per conversation.</summary>
public sealed class AnalysisStore(NpgsqlDataSource dataSource, PiiProtector protector)
{
    /// <summary>
    /// Takes the transaction-scoped advisory lock on the conversation's version numbers: concurrent writers of one
    /// conversation (analyses, rectifications) take consecutive versions. Re-entrant within a transaction.
    /// </summary>
    public static async Task LockConversationAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, CancellationToken cancellationToken)
    {
        await using var lockCommand = new NpgsqlCommand(
            "SELECT pg_advisory_xact_lock(hashtextextended('analysis.analyses:' || @conversation, 0))", connection, transaction);
        lockCommand.Parameters.AddWithValue("conversation", conversationId);
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Adds the conversation's next version inside the caller's transaction, under the conversation's lock
    /// (<see cref="LockConversationAsync"/>). The verdict's name, phone and email are encrypted
    /// (<see cref="VerdictProtection"/>).
    /// </summary>
    public async Task<(long Id, int Version)> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NewAnalysisVersion analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        await LockConversationAsync(connection, transaction, analysis.ConversationId, cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO analysis.analyses
                (event_id, conversation_id, version, model, prompt_version, result, input_tokens, output_tokens, cost_usd, latency_ms, job_id, reason, requested_by, phone_hash)
            SELECT @event, @conversation,
                   coalesce((SELECT max(version) FROM analysis.analyses WHERE conversation_id = @conversation), 0) + 1,
                   @model, @prompt, @result, @input, @output, @cost, @latency, @job, @reason, @requestedBy, @phoneHash
            RETURNING id, version
            """, connection, transaction);
        var result = analysis.Result;
        insert.Parameters.AddWithValue("event", analysis.EventId);
        insert.Parameters.AddWithValue("conversation", analysis.ConversationId);
        insert.Parameters.AddWithValue("model", result.Model);
        insert.Parameters.AddWithValue("prompt", result.PromptVersion);
        var (protectedResult, phoneHash) = VerdictProtection.Protect(result.Verdict, protector);
        insert.Parameters.Add(new NpgsqlParameter("result", NpgsqlDbType.Jsonb) { Value = protectedResult });
        insert.Parameters.Add(new NpgsqlParameter("phoneHash", NpgsqlDbType.Text) { Value = (object?)phoneHash ?? DBNull.Value });
        insert.Parameters.AddWithValue("input", result.InputTokens);
        insert.Parameters.AddWithValue("output", result.OutputTokens);
        insert.Parameters.AddWithValue("cost", result.CostUsd);
        insert.Parameters.AddWithValue("latency", analysis.Latency.TotalMilliseconds);
        insert.Parameters.Add(new NpgsqlParameter("job", NpgsqlDbType.Bigint) { Value = (object?)analysis.JobId ?? DBNull.Value });
        insert.Parameters.AddWithValue("reason", analysis.Reason);
        insert.Parameters.AddWithValue("requestedBy", analysis.RequestedBy);
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    /// <summary>
    /// <see cref="InsertAsync"/> for many analyses in two statements inside the caller's transaction: one takes the
    /// locks of all their conversations (in one order, so two batches cannot deadlock), one inserts every row. Two
    /// analyses of one conversation take consecutive versions in the order given. Returns each one's id and version,
    /// in the order given.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, int Version)>> InsertManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<NewAnalysisVersion> analyses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analyses);
        if (analyses.Count == 0)
        {
            return [];
        }
        await using (var lockCommand = new NpgsqlCommand("""
            SELECT pg_advisory_xact_lock(hashtextextended('analysis.analyses:' || c, 0)) FROM unnest(@conversations) AS c
            """, connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("conversations", analyses.Select(a => a.ConversationId).Distinct().Order(StringComparer.Ordinal).ToArray());
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = new NpgsqlCommand("""
            INSERT INTO analysis.analyses
                (event_id, conversation_id, version, model, prompt_version, result, input_tokens, output_tokens, cost_usd, latency_ms, job_id, reason, requested_by, phone_hash)
            SELECT r.event_id, r.conversation_id,
                   coalesce((SELECT max(a.version) FROM analysis.analyses a WHERE a.conversation_id = r.conversation_id), 0)
                       + (row_number() OVER (PARTITION BY r.conversation_id ORDER BY r.ord))::int,
                   r.model, r.prompt_version, r.result::jsonb, r.input_tokens, r.output_tokens, r.cost_usd, r.latency_ms, r.job_id,
                   r.reason, r.requested_by, r.phone_hash
            FROM unnest(@events, @conversations, @models, @prompts, @results, @inputs, @outputs, @costs, @latencies, @jobs, @reasons, @requestedBy, @phoneHashes)
                WITH ORDINALITY AS r(event_id, conversation_id, model, prompt_version, result, input_tokens, output_tokens, cost_usd, latency_ms,
                                     job_id, reason, requested_by, phone_hash, ord)
            RETURNING id, conversation_id, version
            """, connection, transaction);
        var protectedResults = analyses.Select(a => VerdictProtection.Protect(a.Result.Verdict, protector)).ToArray();
        insert.Parameters.AddWithValue("events", analyses.Select(a => a.EventId).ToArray());
        insert.Parameters.AddWithValue("conversations", analyses.Select(a => a.ConversationId).ToArray());
        insert.Parameters.AddWithValue("models", analyses.Select(a => a.Result.Model).ToArray());
        insert.Parameters.AddWithValue("prompts", analyses.Select(a => a.Result.PromptVersion).ToArray());
        insert.Parameters.AddWithValue("results", protectedResults.Select(p => p.Json).ToArray());
        insert.Parameters.AddWithValue("inputs", analyses.Select(a => a.Result.InputTokens).ToArray());
        insert.Parameters.AddWithValue("outputs", analyses.Select(a => a.Result.OutputTokens).ToArray());
        insert.Parameters.AddWithValue("costs", analyses.Select(a => a.Result.CostUsd).ToArray());
        insert.Parameters.AddWithValue("latencies", analyses.Select(a => a.Latency.TotalMilliseconds).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("jobs", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = analyses.Select(a => a.JobId).ToArray() });
        insert.Parameters.AddWithValue("reasons", analyses.Select(a => a.Reason).ToArray());
        insert.Parameters.AddWithValue("requestedBy", analyses.Select(a => a.RequestedBy).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("phoneHashes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = protectedResults.Select(p => p.PhoneHash).ToArray() });
        var inserted = new List<(long Id, string Conversation, int Version)>(analyses.Count);
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }
        // RETURNING keeps no order; within a conversation the versions follow the order given.
        var byConversation = inserted.GroupBy(r => r.Conversation)
            .ToDictionary(g => g.Key, g => new Queue<(long Id, string Conversation, int Version)>(g.OrderBy(r => r.Version)));
        return [.. analyses.Select(a => byConversation[a.ConversationId].Dequeue()).Select(r => (r.Id, r.Version))];
    }

    public async Task<StoredAnalysis?> GetLatestAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LatestSql);
        return (await ReadAsync(command, conversationId, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The latest version inside the caller's transaction (after <see cref="LockConversationAsync"/>).</summary>
    public async Task<StoredAnalysis?> GetLatestAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string conversationId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(LatestSql, connection, transaction);
        return (await ReadAsync(command, conversationId, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Every version of the conversation's analysis, oldest first; empty when there is none.</summary>
    public async Task<List<StoredAnalysis>> ListAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{SelectColumns} WHERE conversation_id = @conversation ORDER BY version");
        return await ReadAsync(command, conversationId, cancellationToken);
    }

    private const string LatestSql = $"{SelectColumns} WHERE conversation_id = @conversation ORDER BY version DESC LIMIT 1";

    private const string SelectColumns = """
        SELECT id, event_id, conversation_id, version, model, prompt_version, result::text, input_tokens, output_tokens,
               cost_usd, latency_ms, created_at, reason, requested_by
        FROM analysis.analyses
        """;

    private async Task<List<StoredAnalysis>> ReadAsync(NpgsqlCommand command, string conversationId, CancellationToken cancellationToken)
    {
        command.Parameters.AddWithValue("conversation", conversationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<StoredAnalysis>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredAnalysis(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5),
                VerdictProtection.Unprotect(reader.GetString(6), protector),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetDecimal(9), reader.GetDouble(10), reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetString(13)));
        }
        return rows;
    }
}
