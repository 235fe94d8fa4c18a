using Npgsql;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.CrmService.Data;

/// <summary>
/// This service's part of an erasure or a retention purge: the conversations' export jobs and export records in
/// one transaction, then their sections in the Markdown mirror. Idempotent: erasing an erased conversation
/// removes nothing and succeeds, so the gateway retries a half-finished erasure until it is complete.
/// </summary>
public sealed class CrmEraser(NpgsqlDataSource dataSource, [FromKeyedServices(PipelineJobs.Crm.Queue)] JobQueue queue, MarkdownMirror markdown)
{
    public const string ExportsStore = "crm.exports";
    public const string AttemptsStore = "crm.export_attempts";
    public const string JobsStore = "jobs.jobs/crm";
    public const string MarkdownStore = "markdown_sections";

    public async Task<IReadOnlyDictionary<string, long>> EraseAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        long jobs;
        int exports, attempts;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            // The jobs first: an export running now loses its lease, so it cannot record its outcome afterwards.
            jobs = await queue.DeleteByKeysAsync(conversationIds, connection, transaction, cancellationToken);
            // The attempts (the CRM's lineage records) go with the export they belong to.
            await using (var deleteAttempts = new NpgsqlCommand("DELETE FROM crm.export_attempts WHERE conversation_id = ANY(@ids)", connection, transaction))
            {
                deleteAttempts.Parameters.AddWithValue("ids", conversationIds.ToArray());
                attempts = await deleteAttempts.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var delete = new NpgsqlCommand("DELETE FROM crm.exports WHERE conversation_id = ANY(@ids)", connection, transaction);
            delete.Parameters.AddWithValue("ids", conversationIds.ToArray());
            exports = await delete.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // After the commit: should the rewrite fail, the rows are gone already and a retry removes the sections.
        var sections = await markdown.RemoveConversationsAsync(conversationIds, cancellationToken);
        return new Dictionary<string, long>(StringComparer.Ordinal) { [ExportsStore] = exports, [AttemptsStore] = attempts, [JobsStore] = jobs, [MarkdownStore] = sections };
    }
}
