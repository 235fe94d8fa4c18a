using Npgsql;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// Rectification: the corrected fields become the conversation's next analysis version (reason
/// <c>rectification</c>, earlier versions kept as history), and its CRM export job is queued in the same
/// transaction, so a corrected verdict always reaches the CRM.
/// </summary>
public sealed class AnalysisRectifier(NpgsqlDataSource dataSource, AnalysisStore analyses, [FromKeyedServices(PipelineJobs.Crm.Queue)] JobQueue crmQueue)
{
    public const string Reason = "rectification";

    /// <summary>The new version and its export job, or null when the conversation has no analysis to correct.</summary>
    public async Task<(StoredAnalysis Analysis, long ExportJobId)?> RectifyAsync(
        string conversationId, VerdictCorrection correction, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Under the version lock, so a concurrent analysis cannot slip between the read and the new version.
        await AnalysisStore.LockConversationAsync(connection, transaction, conversationId, cancellationToken);
        if (await analyses.GetLatestAsync(connection, transaction, conversationId, cancellationToken) is not { } latest)
        {
            return null;
        }
        // Same model and prompt as the corrected version; no tokens were spent on it.
        var corrected = new AnalyzerResult(correction.ApplyTo(latest.Verdict), latest.Model, latest.PromptVersion, 0, 0, 0m);
        var (analysisId, _) = await analyses.InsertAsync(connection, transaction,
            new NewAnalysisVersion(latest.EventId, conversationId, corrected, TimeSpan.Zero, JobId: null, Reason, requestedBy), cancellationToken);
        var job = await crmQueue.EnqueueAsync(connection, transaction, PipelineJobs.Crm.Export, conversationId,
            new ExportJobPayload(analysisId).ToJson(), ConversationTelemetry.CurrentTraceParent(), cancellationToken: cancellationToken);
        var stored = await analyses.GetLatestAsync(connection, transaction, conversationId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (stored!, job.JobId);
    }
}
