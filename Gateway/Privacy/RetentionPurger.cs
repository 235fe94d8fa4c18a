using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// One retention run: deletes what is older than its class's retention at the clock's "now", and records the
/// run (cutoffs and counts, no personal data) in the audit trail. Driven by <see cref="TimeProvider"/>, so a test
/// moves the clock instead of waiting a year.
/// </summary>
public sealed class RetentionPurger(
    NpgsqlDataSource dataSource, SchemaProbe schema, AuditTrail audit, MarkdownConversationEraser markdown,
    IOptions<RetentionOptions> options, TimeProvider time)
{
    public const string Actor = "system:retention";

    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var transcriptCutoff = now.AddDays(-options.Value.TranscriptDays);
        var recordingCutoff = now.AddDays(-options.Value.RecordingDays);
        var auditCutoff = now.AddDays(-options.Value.AuditDays);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        var hasAnalyses = await schema.HasTableAsync("analysis.analyses", cancellationToken);
        var hasExports = await schema.HasTableAsync("crm.exports", cancellationToken);
        var jobTables = new List<string>();
        foreach (var table in new[] { "analysis.jobs", "crm.jobs" })
        {
            if (await schema.HasTableAsync(table, cancellationToken))
            {
                jobTables.Add(table);
            }
        }

        string[] goneConversations;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            removed["ingest.recordings"] = await ExecuteAsync(connection, transaction,
                "DELETE FROM ingest.recordings WHERE created_at < @cutoff", recordingCutoff, cancellationToken);

            // The expired events, read once: every delete below works from the same set.
            var expiredIds = new List<long>();
            var expiredConversations = new HashSet<string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand(
                "SELECT id, conversation_id FROM ingest.webhook_events WHERE received_at < @cutoff FOR UPDATE", connection, transaction))
            {
                select.Parameters.AddWithValue("cutoff", transcriptCutoff);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    expiredIds.Add(reader.GetInt64(0));
                    expiredConversations.Add(reader.GetString(1));
                }
            }
            var ids = expiredIds.ToArray();
            if (hasExports)
            {
                removed["crm.exports"] = await DeleteAsync(connection, transaction,
                    "DELETE FROM crm.exports WHERE analysis_id IN (SELECT id FROM analysis.analyses WHERE event_id = ANY(@ids))", ids, cancellationToken);
            }
            if (hasAnalyses)
            {
                removed["analysis.analyses"] = await DeleteAsync(connection, transaction,
                    "DELETE FROM analysis.analyses WHERE event_id = ANY(@ids)", ids, cancellationToken);
            }
            removed["ingest.webhook_events"] = await DeleteAsync(connection, transaction,
                "DELETE FROM ingest.webhook_events WHERE id = ANY(@ids)", ids, cancellationToken);

            // Conversations with no event left: their jobs (useless without the event) and Markdown sections go too,
            // as do finished jobs older than the transcript retention.
            await using (var gone = new NpgsqlCommand("""
                SELECT c FROM unnest(@conversations) AS c
                WHERE NOT EXISTS (SELECT 1 FROM ingest.webhook_events e WHERE e.conversation_id = c)
                """, connection, transaction))
            {
                gone.Parameters.AddWithValue("conversations", expiredConversations.ToArray());
                var list = new List<string>();
                await using var reader = await gone.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    list.Add(reader.GetString(0));
                }
                goneConversations = [.. list];
            }
            // The gateway's lineage records of those conversations: nothing is left for them to describe.
            await using (var lineage = new NpgsqlCommand("DELETE FROM ingest.lineage WHERE conversation_id = ANY(@ids)", connection, transaction))
            {
                lineage.Parameters.AddWithValue("ids", goneConversations);
                removed["ingest.lineage"] = await lineage.ExecuteNonQueryAsync(cancellationToken);
            }
            // And their CRM export attempts, like crm.exports above: nothing is left for them to describe either.
            if (await schema.HasTableAsync("crm.export_attempts", cancellationToken))
            {
                await using var attempts = new NpgsqlCommand("DELETE FROM crm.export_attempts WHERE conversation_id = ANY(@ids)", connection, transaction);
                attempts.Parameters.AddWithValue("ids", goneConversations);
                removed["crm.export_attempts"] = await attempts.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var table in jobTables)
            {
                await using var jobs = new NpgsqlCommand(
                    $"DELETE FROM {table} WHERE job_key = ANY(@ids) OR (state IN ('done', 'dead') AND updated_at < @cutoff)", connection, transaction);
                jobs.Parameters.AddWithValue("ids", goneConversations);
                jobs.Parameters.AddWithValue("cutoff", transcriptCutoff);
                removed[table] = await jobs.ExecuteNonQueryAsync(cancellationToken);
            }

            // The database applies the audit retention against its own clock, and never below a year.
            await using (var purgeAudit = new NpgsqlCommand("SELECT audit.purge_expired(@days)", connection, transaction))
            {
                purgeAudit.Parameters.AddWithValue("days", options.Value.AuditDays);
                removed["audit.log"] = (long)(await purgeAudit.ExecuteScalarAsync(cancellationToken))!;
            }
            await transaction.CommitAsync(cancellationToken);
        }

        removed["markdown_sections"] = goneConversations.Length == 0 ? 0 : await markdown.EraseAsync(goneConversations, cancellationToken);
        if (removed.Values.Any(count => count > 0))
        {
            var details = removed.ToDictionary(r => r.Key, r => (string?)r.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
            details["transcript_cutoff"] = transcriptCutoff.ToString("O", CultureInfo.InvariantCulture);
            details["recording_cutoff"] = recordingCutoff.ToString("O", CultureInfo.InvariantCulture);
            details["audit_cutoff"] = auditCutoff.ToString("O", CultureInfo.InvariantCulture);
            await audit.AppendAsync(new AuditEntry(Actor, "system", "retention.purge", "retention", Details: details), cancellationToken);
        }
        return removed;
    }

    private static async Task<long> DeleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("ids", ids);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
