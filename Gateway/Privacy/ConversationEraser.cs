using System.Globalization;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Data-subject erasure, orchestrated: the gateway erases what it owns (the outage spool's lines, the webhook
/// events and recordings) and records a durable erasure request, tombstones (the keyed hash of each id, so a later
/// webhook cannot store the conversation again) and the audit records in the same transaction; then every owner
/// of the rest (analysis, CRM) is asked to erase its own rows. An owner that does not answer leaves the request
/// pending, and <see cref="ErasureWorker"/> retries it until every owner has reported. The spool goes first, so a
/// replay cannot bring an erased event back.
/// </summary>
public sealed class ConversationEraser(
    NpgsqlDataSource dataSource, AuditTrail audit, SpoolConversationEraser spool, ErasureTombstones tombstones, ErasureRequestStore requests,
    ErasureCompleter completer)
{
    /// <summary>The request after the first attempt at the owners: done when every owner answered in time.</summary>
    /// <exception cref="SpoolBusyException">The spool holds events still to be replayed; nothing was erased.</exception>
    public async Task<ErasureRequest> EraseAsync(IReadOnlyList<string> conversationIds, AuditEntry auditEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEntry);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["spool_lines"] = await spool.EraseAsync(conversationIds, cancellationToken),
        };

        Guid id;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // Recordings before the events they belong to; the lineage records too: after an erasure, the lineage
            // report shows what the audit trail keeps.
            foreach (var table in new[] { "ingest.recordings", "ingest.webhook_events", "ingest.lineage" })
            {
                await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE conversation_id = ANY(@ids)", connection, transaction);
                delete.Parameters.AddWithValue("ids", conversationIds.ToArray());
                removed[table] = await delete.ExecuteNonQueryAsync(cancellationToken);
            }
            // Tombstones in the same transaction: a webhook for these conversations arriving from now on is dropped.
            await using (var tombstone = new NpgsqlCommand(
                "INSERT INTO ingest.erased_conversations (conversation_hash) SELECT unnest(@hashes) ON CONFLICT DO NOTHING", connection, transaction))
            {
                tombstone.Parameters.AddWithValue("hashes", conversationIds.Select(tombstones.HashOf).ToArray());
                await tombstone.ExecuteNonQueryAsync(cancellationToken);
            }
            id = await requests.CreateAsync(connection, transaction, ErasureRequest.SubjectReason, auditEntry.Actor, conversationIds, removed, cancellationToken);
            var details = new Dictionary<string, string?>(auditEntry.Details ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
            {
                ["request_id"] = id.ToString("D"),
            };
            foreach (var (store, count) in removed)
            {
                details[store] = count.ToString(CultureInfo.InvariantCulture);
            }
            foreach (var conversationId in conversationIds)
            {
                await audit.AppendAsync(auditEntry with { ConversationId = conversationId, Target = $"conversation/{conversationId}", Details = details },
                    connection, transaction, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        return await completer.AttemptAsync(id, cancellationToken)
            ?? throw new InvalidOperationException("The erasure request just recorded is missing.");
    }
}
