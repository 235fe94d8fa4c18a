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
