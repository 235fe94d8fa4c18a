using Npgsql;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Data-subject erasure: everything held about the conversations goes, in every schema, the outage spool and
/// the Markdown mirror; the audit trail records the erasure (ids and counts, never the erased data) in the
/// same transaction as the delete, and a tombstone (the keyed hash of each id) keeps the conversations from being
/// stored again by a later webhook. Order matters: the spool first, so a replay cannot bring an erased event
/// back; then the database; then the Markdown file, after the export jobs are gone.
/// </summary>
public sealed class ConversationEraser(
    NpgsqlDataSource dataSource, SchemaProbe schema, AuditTrail audit, SpoolConversationEraser spool, MarkdownConversationEraser markdown,
    ErasureTombstones tombstones)
{
    // Children before parents, although the foreign keys cascade: the counts say what each table held.
    private static readonly (string Table, string Column)[] Tables =
    [
        ("crm.exports", "conversation_id"),
        ("jobs.jobs", "job_key"),
        ("analysis.analyses", "conversation_id"),
        ("ingest.recordings", "conversation_id"),
        ("ingest.webhook_events", "conversation_id"),
    ];

    public async Task<ErasureReport> EraseAsync(IReadOnlyList<string> conversationIds, AuditEntry auditEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEntry);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["spool_lines"] = await spool.EraseAsync(conversationIds, cancellationToken),
        };

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var (table, column) in Tables)
            {
                if (!await schema.HasTableAsync(table, cancellationToken))
                {
                    continue;
                }
                await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE {column} = ANY(@ids)", connection, transaction);
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
            removed["markdown_sections"] = 0;
            foreach (var id in conversationIds)
            {
                await audit.AppendAsync(auditEntry with { ConversationId = id, Target = $"conversation/{id}", Details = Details(removed) },
                    connection, transaction, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }

        removed["markdown_sections"] = await markdown.EraseAsync(conversationIds, cancellationToken);
        return new ErasureReport(conversationIds, removed);
    }

    private static Dictionary<string, string?> Details(Dictionary<string, long> removed) =>
        removed.ToDictionary(r => r.Key, r => (string?)r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
