using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Data;

/// <summary><c>crm.exports</c>: one row per conversation, upserted by every attempt.</summary>
public sealed class ExportStore(NpgsqlDataSource dataSource)
{
    /// <summary>Marks the conversation's export as running (creating its row on the first attempt).</summary>
    public async Task MarkRunningAsync(Lead lead, Guid recordId, string sink, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO crm.exports (conversation_id, analysis_id, state, crm_record_id, sink)
            VALUES (@conversation_id, @analysis_id, 'running', @record_id, @sink)
            ON CONFLICT (conversation_id) DO UPDATE
            SET analysis_id = excluded.analysis_id, state = 'running', crm_record_id = excluded.crm_record_id,
                sink = excluded.sink, updated_at = now()
            """);
        command.Parameters.AddWithValue("conversation_id", lead.ConversationId);
        command.Parameters.AddWithValue("analysis_id", lead.AnalysisId);
        command.Parameters.AddWithValue("record_id", recordId);
        command.Parameters.AddWithValue("sink", sink);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records how an attempt ended, and appends <paramref name="attempt"/> to <c>crm.export_attempts</c> in the same
    /// round trip and transaction. <paramref name="spentAttempt"/> is false when nothing was sent (breaker
    /// open), so the count stays the number of real attempts. <paramref name="inSameTransaction"/> runs in the
    /// transaction that stores the record (completing the job there makes "done" and the job's end one fact).
    /// </summary>
    public async Task RecordAsync(string conversationId, string state, bool spentAttempt, ExportOutcome outcome, ExportAttemptRecord attempt,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? inSameTransaction, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var command = new NpgsqlBatchCommand("""
            UPDATE crm.exports
            SET state = @state,
                attempts = attempts + @spent,
                last_error = @last_error,
                request_summary = coalesce(@request_summary, request_summary),
                response_summary = coalesce(@response_summary, response_summary),
                exported_at = CASE WHEN @state = 'done' THEN now() ELSE exported_at END,
                updated_at = now()
            WHERE conversation_id = @conversation_id
            """);
        command.Parameters.AddWithValue("conversation_id", conversationId);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("spent", spentAttempt ? 1 : 0);
        command.Parameters.AddWithValue("last_error", (object?)outcome.Error ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("request_summary", NpgsqlDbType.Jsonb)
        {
            Value = spentAttempt ? ExportSummaries.Request(outcome.Request) : DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("response_summary", NpgsqlDbType.Jsonb)
        {
            Value = outcome.Response is { } response ? ExportSummaries.Response(response) : DBNull.Value,
        });
        batch.BatchCommands.Add(command);
        batch.BatchCommands.Add(ExportAttemptStore.AppendCommand(attempt));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (inSameTransaction is not null)
        {
            await inSameTransaction(connection, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Records how the attempts of a batch ended, in one round trip and one transaction: each conversation's row is
    /// created or updated (no separate "running" mark comes first: while a job runs, the queue reports it as running),
    /// and every attempt is appended to <c>crm.export_attempts</c>. <paramref name="inSameTransaction"/> runs in that
    /// transaction (completing the batch's jobs there makes their results and their ends one fact). A batch names a
    /// conversation at most once.
    /// </summary>
    public async Task RecordBatchAsync(IReadOnlyList<FinishedExport> finished, Func<NpgsqlConnection, NpgsqlTransaction, Task> inSameTransaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentNullException.ThrowIfNull(inSameTransaction);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (finished.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(UpsertCommand(finished));
            batch.BatchCommands.Add(ExportAttemptStore.AppendCommand(finished.Select(f => f.Attempt).ToList()));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await inSameTransaction(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand UpsertCommand(IReadOnlyList<FinishedExport> finished)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO crm.exports AS e (conversation_id, analysis_id, state, attempts, last_error, crm_record_id, sink,
                                          request_summary, exported_at)
            SELECT f.conversation_id, f.analysis_id, f.state, f.spent, f.last_error, f.record_id, f.sink, f.request_summary::jsonb,
                   CASE WHEN f.state = 'done' THEN now() END
            FROM unnest(@conversation_ids, @analysis_ids, @states, @spent, @last_errors, @record_ids, @sinks, @request_summaries)
                 AS f(conversation_id, analysis_id, state, spent, last_error, record_id, sink, request_summary)
            ON CONFLICT (conversation_id) DO UPDATE
            SET analysis_id = excluded.analysis_id,
                state = excluded.state,
                attempts = e.attempts + excluded.attempts,
                last_error = excluded.last_error,
                crm_record_id = excluded.crm_record_id,
                sink = excluded.sink,
                request_summary = coalesce(excluded.request_summary, e.request_summary),
                exported_at = CASE WHEN excluded.state = 'done' THEN now() ELSE e.exported_at END,
                updated_at = now()
            """);
        command.Parameters.AddWithValue("conversation_ids", finished.Select(f => f.Lead.ConversationId).ToArray());
        command.Parameters.AddWithValue("analysis_ids", finished.Select(f => f.Lead.AnalysisId).ToArray());
        command.Parameters.AddWithValue("states", finished.Select(f => f.State).ToArray());
        command.Parameters.AddWithValue("spent", finished.Select(f => f.SpentAttempt ? 1 : 0).ToArray());
        command.Parameters.AddWithValue("last_errors", NpgsqlDbType.Array | NpgsqlDbType.Text, finished.Select(f => f.Outcome.Error).ToArray());
        command.Parameters.AddWithValue("record_ids", finished.Select(f => f.RecordId).ToArray());
        command.Parameters.AddWithValue("sinks", finished.Select(f => f.Outcome.Sink).ToArray());
        command.Parameters.AddWithValue("request_summaries", NpgsqlDbType.Array | NpgsqlDbType.Text,
            finished.Select(f => f.SpentAttempt ? ExportSummaries.Request(f.Outcome.Request) : null).ToArray());
        return command;
    }

    /// <summary>Sets the state alone (a dead job, or a retry queued through the API).</summary>
    public async Task<bool> SetStateAsync(string conversationId, string state, string? lastError, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE crm.exports SET state = @state, last_error = coalesce(@last_error, last_error), updated_at = now()
            WHERE conversation_id = @conversation_id
            """);
        command.Parameters.AddWithValue("conversation_id", conversationId);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("last_error", (object?)lastError ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Export JSON of the summaries, kept apart so that what is stored is easy to review for PII.</summary>
    private static class ExportSummaries
    {
        public static string Request(CreatioRequest request) => JsonSerializer.Serialize(new
        {
            form_fields = request.FormFieldNames,
            contact_fields = request.ContactFieldNames,
            bytes = request.Body.Length,
        });

        public static string Response(CreatioResult result) => JsonSerializer.Serialize(new
        {
            http_status = result.HttpStatus,
            result_code = result.ResultCode,
            message = result.Message,
            exception_type = result.ExceptionType,
        });
    }
}
