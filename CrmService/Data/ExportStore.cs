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
