using Npgsql;
using NpgsqlTypes;
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
        command.Parameters.AddWithValue("error", (object?)Truncated(attempt.Error) ?? DBNull.Value);
        command.Parameters.AddWithValue("started_at", attempt.StartedAt);
        command.Parameters.AddWithValue("finished_at", attempt.FinishedAt);
        command.Parameters.AddWithValue("requested_by", attempt.RequestedBy);
        return command;
    }

    /// <summary>The insert of several attempts in one statement, for a batch that stores them with their outcomes.</summary>
    public static NpgsqlBatchCommand AppendCommand(IReadOnlyList<ExportAttemptRecord> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO crm.export_attempts (conversation_id, analysis_id, analysis_version, crm_record_id, sink, outcome, error,
                                             started_at, finished_at, requested_by)
            SELECT * FROM unnest(@conversation_ids, @analysis_ids, @analysis_versions, @crm_record_ids, @sinks, @outcomes, @errors,
                                 @started_at, @finished_at, @requested_by)
            """);
        command.Parameters.AddWithValue("conversation_ids", attempts.Select(a => a.ConversationId).ToArray());
        command.Parameters.AddWithValue("analysis_ids", attempts.Select(a => a.AnalysisId).ToArray());
        command.Parameters.AddWithValue("analysis_versions", attempts.Select(a => a.AnalysisVersion).ToArray());
        command.Parameters.AddWithValue("crm_record_ids", attempts.Select(a => a.CrmRecordId).ToArray());
        command.Parameters.AddWithValue("sinks", attempts.Select(a => a.Sink).ToArray());
        command.Parameters.AddWithValue("outcomes", attempts.Select(a => a.Outcome).ToArray());
        command.Parameters.AddWithValue("errors", NpgsqlDbType.Array | NpgsqlDbType.Text, attempts.Select(a => Truncated(a.Error)).ToArray());
        command.Parameters.AddWithValue("started_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, attempts.Select(a => a.StartedAt).ToArray());
        command.Parameters.AddWithValue("finished_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, attempts.Select(a => a.FinishedAt).ToArray());
        command.Parameters.AddWithValue("requested_by", attempts.Select(a => a.RequestedBy).ToArray());
        return command;
    }

    private static string? Truncated(string? error) => error?[..Math.Min(error.Length, ExportAttemptRecord.MaxErrorLength)];

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
