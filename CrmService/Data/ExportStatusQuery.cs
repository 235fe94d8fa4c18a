using Npgsql;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.CrmService.Data;

/// <summary>
/// The status the gRPC API reports. The latest job of the crm queue (in the shared <c>jobs.jobs</c>) decides the state (queued, running, done,
/// dead: the queue is the source of truth, also when a handler never got to write its record); the
/// <c>crm.exports</c> row adds the real attempt count, the CRM's last error, the record Id and the sink.
/// </summary>
public sealed class ExportStatusQuery(NpgsqlDataSource dataSource)
{
    public async Task<ExportStatusView?> GetAsync(string conversationId, string configuredSink, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT e.state, e.attempts, e.last_error, e.crm_record_id, e.sink, e.updated_at,
                   j.state, j.attempts, j.last_error, j.updated_at, e.exported_at, e.analysis_id
            FROM (SELECT 1) AS one
            LEFT JOIN crm.exports e ON e.conversation_id = @conversation_id
            LEFT JOIN LATERAL (
                SELECT state, attempts, last_error, updated_at FROM {JobQueueMigration.Table}
                WHERE queue = @queue AND kind = @kind AND job_key = @conversation_id
                ORDER BY id DESC LIMIT 1) j ON true
            """);
        command.Parameters.AddWithValue("conversation_id", conversationId);
        command.Parameters.AddWithValue("queue", PipelineJobs.Crm.Queue);
        command.Parameters.AddWithValue("kind", PipelineJobs.Crm.Export);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var hasExport = !reader.IsDBNull(0);
        var hasJob = !reader.IsDBNull(6);
        if (!hasExport && !hasJob)
        {
            return null;
        }

        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var exportUpdated = hasExport ? reader.GetFieldValue<DateTimeOffset>(5) : DateTimeOffset.MinValue;
        var jobUpdated = hasJob ? reader.GetFieldValue<DateTimeOffset>(9) : DateTimeOffset.MinValue;
        var state = hasJob ? reader.GetString(6) : reader.GetString(0);
        return new ExportStatusView(
            conversationId,
            State: state,
            Attempts: hasExport ? reader.GetInt32(1) : 0,
            // The queue keeps a job's last error after a later success; a done export has none.
            LastError: state == ExportStates.Done ? null : Text(2) ?? Text(8),
            CrmRecordId: hasExport ? reader.GetGuid(3) : LeadRecordId.For(conversationId),
            Sink: Text(4) ?? configuredSink,
            UpdatedAt: exportUpdated > jobUpdated ? exportUpdated : jobUpdated,
            ExportedAt: reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
            AnalysisId: reader.IsDBNull(11) ? null : reader.GetInt64(11));
    }
}
