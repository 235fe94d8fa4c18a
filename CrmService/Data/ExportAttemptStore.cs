using Npgsql;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Data;

/// <summary><c>crm.export_attempts</c>: appended at the end of every try, listed for the lineage report.</summary>
public sealed class ExportAttemptStore(NpgsqlDataSource dataSource)
{
    public async Task AppendAsync(ExportAttemptRecord attempt, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(AppendCommand(attempt));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The insert of one attempt, for a batch that stores it with the attempt's outcome (one round trip, one commit).</summary>
    public static NpgsqlBatchCommand AppendCommand(ExportAttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO crm.export_attempts (conversation_id, analysis_id, analysis_version, crm_record_id, sink, outcome, error,
                                             started_at, finished_at, requested_by)
            VALUES (@conversation_id, @analysis_id, @analysis_version, @crm_record_id, @sink, @outcome, @error,
                    @started_at, @finished_at, @requested_by)
            """);
        command.Parameters.AddWithValue("conversation_id", attempt.ConversationId);
        command.Parameters.AddWithValue("analysis_id", attempt.AnalysisId);
        command.Parameters.AddWithValue("analysis_version", attempt.AnalysisVersion);
        command.Parameters.AddWithValue("crm_record_id", attempt.CrmRecordId);
        command.Parameters.AddWithValue("sink", attempt.Sink);
        command.Parameters.AddWithValue("outcome", attempt.Outcome);
        command.Parameters.AddWithValue("error", attempt.Error is { } error
            ? error[..Math.Min(error.Length, ExportAttemptRecord.MaxErrorLength)] : DBNull.Value);
        command.Parameters.AddWithValue("started_at", attempt.StartedAt);
        command.Parameters.AddWithValue("finished_at", attempt.FinishedAt);
        command.Parameters.AddWithValue("requested_by", attempt.RequestedBy);
        return command;
    }

    /// <summary>The conversation's attempts, oldest first.</summary>
    public async Task<IReadOnlyList<ExportAttemptRecord>> ListAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, conversation_id, analysis_id, analysis_version, crm_record_id, sink, outcome, error, started_at, finished_at, requested_by
            FROM crm.export_attempts WHERE conversation_id = @conversation_id ORDER BY id
            """);
        command.Parameters.AddWithValue("conversation_id", conversationId);
        var attempts = new List<ExportAttemptRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new ExportAttemptRecord(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3),
                reader.GetGuid(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9), reader.GetString(10)));
        }
        return attempts;
    }
}
