using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// This service's part of an erasure or a retention purge: every analysis version of the conversations (with
/// the verdict's encrypted contact fields and its phone lookup hash) and their analysis jobs, in one transaction.
/// Idempotent: erasing an erased conversation removes nothing and succeeds.
/// </summary>
public sealed class AnalysisEraser(NpgsqlDataSource dataSource, [FromKeyedServices(PipelineJobs.Analysis.Queue)] JobQueue queue)
{
    public const string AnalysesStore = "analysis.analyses";
    public const string JobsStore = "jobs.jobs/analysis";

    public async Task<IReadOnlyDictionary<string, long>> EraseAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The jobs first: a job that is running now cannot complete afterwards (its lease is gone), so it stores
        // no new version after the analyses are deleted.
        var jobs = await queue.DeleteByKeysAsync(conversationIds, connection, transaction, cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM analysis.analyses WHERE conversation_id = ANY(@ids)", connection, transaction);
        delete.Parameters.AddWithValue("ids", conversationIds.ToArray());
        var analyses = await delete.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Dictionary<string, long>(StringComparer.Ordinal) { [AnalysesStore] = analyses, [JobsStore] = jobs };
    }
}
