using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// One retention run: deletes the gateway's own rows that are older than their class's retention at the clock's
/// "now" (recordings, webhook events, the audit trail's oldest records), and for the conversations left with no
/// event, asks the owners of the rest (analyses, exports, jobs, Markdown sections) to erase them through a durable
/// erasure request (reason "retention"), retried until every owner has reported. The run is audited (cutoffs,
/// counts and the request id, no personal data). Driven by <see cref="TimeProvider"/>, so a test moves the clock
/// instead of waiting a year.
/// </summary>
public sealed class RetentionPurger(
    NpgsqlDataSource dataSource, AuditTrail audit, ErasureRequestStore requests, ErasureCompleter completer,
    IOptions<RetentionOptions> options, TimeProvider time)
{
    public const string Actor = "system:retention";

    /// <summary>
    /// What the run removed per store: the gateway's, and the owners' when they all answered in time (otherwise
    /// they erase later, and their counts are in the erasure's audit record).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var transcriptCutoff = now.AddDays(-options.Value.TranscriptDays);
        var recordingCutoff = now.AddDays(-options.Value.RecordingDays);
        var auditCutoff = now.AddDays(-options.Value.AuditDays);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        Guid? erasureId = null;

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            removed["ingest.recordings"] = await ExecuteAsync(connection, transaction,
                "DELETE FROM ingest.recordings WHERE created_at < @cutoff", recordingCutoff, cancellationToken);

            var expiredConversations = new HashSet<string>(StringComparer.Ordinal);
            await using (var expire = new NpgsqlCommand(
                "DELETE FROM ingest.webhook_events WHERE received_at < @cutoff RETURNING conversation_id", connection, transaction))
            {
                expire.Parameters.AddWithValue("cutoff", transcriptCutoff);
                await using var reader = await expire.ExecuteReaderAsync(cancellationToken);
                var count = 0L;
                while (await reader.ReadAsync(cancellationToken))
                {
                    count++;
                    expiredConversations.Add(reader.GetString(0));
                }
                removed["ingest.webhook_events"] = count;
            }

            // Conversations with no event left: what the owners hold of them goes too, in the same transaction's request.
            var goneConversations = await WithNoEventLeftAsync(connection, transaction, expiredConversations, cancellationToken);
            // The gateway's lineage records of those conversations: nothing is left for them to describe.
            await using (var lineage = new NpgsqlCommand("DELETE FROM ingest.lineage WHERE conversation_id = ANY(@ids)", connection, transaction))
            {
                lineage.Parameters.AddWithValue("ids", goneConversations.ToArray());
                removed["ingest.lineage"] = await lineage.ExecuteNonQueryAsync(cancellationToken);
            }

            // The database applies the audit retention against its own clock, and never below a year.
            await using (var purgeAudit = new NpgsqlCommand("SELECT audit.purge_expired(@days)", connection, transaction))
            {
                purgeAudit.Parameters.AddWithValue("days", options.Value.AuditDays);
                removed["audit.log"] = (long)(await purgeAudit.ExecuteScalarAsync(cancellationToken))!;
            }

            if (goneConversations.Count > 0)
            {
                erasureId = await requests.CreateAsync(connection, transaction, ErasureRequest.RetentionReason, Actor, goneConversations,
                    new Dictionary<string, long>(removed, StringComparer.Ordinal), cancellationToken);
            }
            if (removed.Values.Any(count => count > 0) || erasureId is not null)
            {
                var details = removed.ToDictionary(r => r.Key, r => (string?)r.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
                details["transcript_cutoff"] = transcriptCutoff.ToString("O", CultureInfo.InvariantCulture);
                details["recording_cutoff"] = recordingCutoff.ToString("O", CultureInfo.InvariantCulture);
                details["audit_cutoff"] = auditCutoff.ToString("O", CultureInfo.InvariantCulture);
                if (erasureId is { } id)
                {
                    details["erasure_request_id"] = id.ToString("D");
                    details["erased_conversations"] = goneConversations.Count.ToString(CultureInfo.InvariantCulture);
                }
                await audit.AppendAsync(new AuditEntry(Actor, "system", "retention.purge", "retention", Details: details), connection, transaction, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        if (erasureId is { } requestId && await completer.AttemptAsync(requestId, cancellationToken) is { IsDone: true } erasure)
        {
            foreach (var (store, count) in erasure.Owners.SelectMany(o => o.Removed ?? new Dictionary<string, long>()))
            {
                removed[store] = removed.GetValueOrDefault(store) + count;
            }
        }
        return removed;
    }

    private static async Task<IReadOnlyList<string>> WithNoEventLeftAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, HashSet<string> conversations, CancellationToken cancellationToken)
    {
        if (conversations.Count == 0)
        {
            return [];
        }
        await using var gone = new NpgsqlCommand("""
            SELECT c FROM unnest(@conversations) AS c
            WHERE NOT EXISTS (SELECT 1 FROM ingest.webhook_events e WHERE e.conversation_id = c)
            """, connection, transaction);
        gone.Parameters.AddWithValue("conversations", conversations.ToArray());
        var list = new List<string>();
        await using var reader = await gone.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }
        return list;
    }

    private static async Task<long> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("cutoff", cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
