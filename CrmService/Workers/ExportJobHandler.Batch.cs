using System.Diagnostics;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.CrmService.Workers;

/// <summary>
/// A claimed batch of exports at once, when Creatio is off: one <c>GetLeads</c> call for every lead, one append and
/// one fsync of the Markdown mirror for every section, and one transaction that records every outcome and attempt
/// and completes every job. There is no separate "running" commit before the write: the queue already reports a
/// claimed job as running, and a crash between the write and the commit leaves sections that the retried jobs simply
/// append again. With Creatio each job runs alone, as <see cref="HandleAsync"/> does it, so that no lead waits
/// behind another's slow CRM call.
/// </summary>
public sealed partial class ExportJobHandler
{
    public async Task<IReadOnlyList<JobResult>> HandleBatchAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (options.Value.CreatioEnabled)
        {
            return await HandleEachAsync(batch, cancellationToken);
        }

        var verdicts = new JobResult?[batch.Count];
        var analysisIds = new long?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var job = batch[i].Job;
            if (job.Kind != PipelineJobs.Crm.Export)
            {
                metrics.RecordDead();
                verdicts[i] = JobResult.Dead($"Unknown job kind '{job.Kind}' in the crm queue");
            }
            else if (ExportJobPayload.TryParse(job.PayloadJson)?.AnalysisId is { } analysisId)
            {
                analysisIds[i] = analysisId;
            }
            else
            {
                metrics.RecordDead();
                verdicts[i] = JobResult.Dead("Payload must be {\"analysis_id\": N} with N > 0");
            }
        }

        Dictionary<long, LeadToExport> found;
        try
        {
            found = await leads.LoadAsync([.. analysisIds.OfType<long>()], cancellationToken);
        }
        catch (LeadSourceUnavailableException ex)
        {
            var now = time.GetUtcNow();
            for (var i = 0; i < batch.Count; i++)
            {
                if (analysisIds[i] is { } analysisId)
                {
                    LogLeadSourceUnavailable(analysisId, ex.Status);
                    verdicts[i] = SnoozeLimit.SnoozeOrRetry(batch[i].Job, options.Value.AnalysisUnavailableDelay, options.Value.SnoozeLimit, now, ex.Message);
                }
            }
            return [.. verdicts.Select(v => v!)];
        }

        // The jobs completed in the batch's transaction: those exported, and those with nothing left to export.
        var completing = new List<JobContext>(batch.Count);
        var exporting = new List<(int Index, Lead Lead, string? EventTraceParent)>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (analysisIds[i] is not { } analysisId)
            {
                continue;
            }
            if (!found.TryGetValue(analysisId, out var loaded))
            {
                // Erased (privacy) or superseded and purged: nothing is left to export, and retrying cannot change that.
                LogNothingToExport(analysisId);
                verdicts[i] = JobResult.Succeeded;
                completing.Add(batch[i]);
            }
            else if (loaded.Superseded)
            {
                // A late job must not overwrite the lead with an older verdict; the newer analysis has its own job.
                LogSuperseded(analysisId);
                verdicts[i] = JobResult.Succeeded;
                completing.Add(batch[i]);
            }
            else
            {
                exporting.Add((i, loaded.Lead, loaded.TraceParent));
            }
        }
        if (exporting.DistinctBy(e => e.Lead.ConversationId).Count() != exporting.Count)
        {
            // One conversation twice in a claim (its row can be recorded once per statement): rare, so each job alone.
            return await HandleEachAsync(batch, cancellationToken);
        }

        var spans = new List<Activity?>(exporting.Count);
        try
        {
            foreach (var (index, lead, eventTraceParent) in exporting)
            {
                spans.Add(StartExportSpan(batch[index], lead, eventTraceParent));
            }
            var startedAt = time.GetUtcNow();
            var outcomes = await exporter.ExportWithoutCreatioAsync([.. exporting.Select(e => e.Lead)], cancellationToken);
            var finishedAt = time.GetUtcNow();

            var finished = new List<FinishedExport>(exporting.Count);
            for (var e = 0; e < exporting.Count; e++)
            {
                var (index, lead, _) = exporting[e];
                var job = batch[index].Job;
                var outcome = outcomes[e];
                var exported = outcome.Status == ExportStatus.Exported;
                spans[e]?.SetTag("crm.outcome", outcome.Status.ToString());
                var attempt = new ExportAttemptRecord(0, lead.ConversationId, lead.AnalysisId, lead.AnalysisVersion, LeadRecordId.For(lead.ConversationId),
                    outcome.Sink, exported ? ExportAttemptRecord.Exported : job.IsLastAttempt ? ExportAttemptRecord.Dead : ExportAttemptRecord.Retrying,
                    outcome.Error, startedAt, finishedAt, ExportJobPayload.TryParse(job.PayloadJson)?.RequestedBy ?? ExportAttemptRecord.Pipeline);
                var state = exported ? ExportStates.Done : job.IsLastAttempt ? ExportStates.Dead : ExportStates.Queued;
                finished.Add(new FinishedExport(lead, attempt.CrmRecordId, state, SpentAttempt: true, outcome, attempt));
                if (exported)
                {
                    verdicts[index] = JobResult.Succeeded;
                    completing.Add(batch[index]);
                }
                else
                {
                    verdicts[index] = Failed(job, lead, outcome, spans[e]);
                }
            }

            if (finished.Count > 0 || completing.Count > 0)
            {
                // A lost lease throws here and rolls everything back: the worker then runs each job alone.
                await exports.RecordBatchAsync(finished,
                    (connection, transaction) => JobContext.CompleteAllAsync(completing, connection, transaction, cancellationToken),
                    cancellationToken);
            }
            foreach (var (index, lead, _) in exporting.Where(e => verdicts[e.Index]!.Outcome == JobOutcome.Succeeded))
            {
                LogExported(lead.AnalysisId, exporter.Sink, batch[index].Job.Attempt);
            }
        }
        finally
        {
            foreach (var span in spans)
            {
                span?.Dispose();
            }
        }
        return [.. verdicts.Select(v => v!)];
    }

    /// <summary>Each job alone, as the worker would run it, with the job's own span current.</summary>
    private async Task<IReadOnlyList<JobResult>> HandleEachAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken)
    {
        var verdicts = new List<JobResult>(batch.Count);
        var previous = Activity.Current;
        try
        {
            foreach (var context in batch)
            {
                Activity.Current = context.Activity;
                try
                {
                    verdicts.Add(await HandleAsync(context, cancellationToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One job's failure is its own (as the worker counts it), not a reason to run the others again.
                    verdicts.Add(JobResult.Retry($"{ex.GetType().Name}: {ex.Message}"));
                }
            }
        }
        finally
        {
            Activity.Current = previous;
        }
        return verdicts;
    }

    /// <summary>
    /// The job's "crm export" span: under the job's own span when the job carried the trace, otherwise continuing
    /// the webhook's trace that came with the lead (as <see cref="HandleAsync"/> starts it).
    /// </summary>
    private Activity? StartExportSpan(JobContext context, Lead lead, string? eventTraceParent)
    {
        var previous = Activity.Current;
        Activity.Current = context.Activity;
        try
        {
            var activity = context.Activity is not null && context.Job.TraceParent is not null
                ? ActivitySource.StartActivity("crm export")
                : ActivitySource.StartContinuation("crm export", eventTraceParent);
            activity.TagConversation(lead.ConversationId);
            activity?.SetTag("crm.analysis_id", lead.AnalysisId);
            activity?.SetTag("crm.sink", exporter.Sink);
            activity?.SetTag("crm.record_id", LeadRecordId.For(lead.ConversationId).ToString("D"));
            return activity;
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private JobResult Failed(ClaimedJob job, Lead lead, ExportOutcome outcome, Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        using (logger.BeginConversationScope(lead.ConversationId))
        {
            LogFailed(lead.AnalysisId, job.Attempt, job.MaxAttempts, outcome.Error ?? "failed");
        }
        if (job.IsLastAttempt)
        {
            metrics.RecordDead();
        }
        return JobResult.Retry(outcome.Error ?? "CRM export failed");
    }
}
