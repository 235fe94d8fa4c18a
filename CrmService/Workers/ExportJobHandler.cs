using System.Diagnostics;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Data;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.CrmService.Workers;

/// <summary>
/// Handles <c>crm</c> queue <c>export</c> jobs: asks the analysis service for the lead (<see cref="AnalysisLeads"/>),
/// exports it, and records the outcome in <c>crm.exports</c>. While the analysis service does not answer (the
/// services start in parallel, and restart alone) the job snoozes like an open breaker: no attempt spent, nothing
/// lost. A failed attempt backs off through the queue (dead after the last attempt); an open breaker snoozes the
/// job until the half-open time without spending an attempt, so an outage of the CRM costs no attempts and sends
/// nothing, up to <c>Crm:SnoozeLimit</c> after the job was queued (then each snooze spends an attempt, so an endless
/// outage ends in dead jobs, not an endless queue). This runs in the CRM service's own process on its own queue: an
/// outage here never slows ingest or analysis.
/// </summary>
public sealed partial class ExportJobHandler(
    AnalysisLeads leads,
    ExportStore exports,
    LeadExporter exporter,
    CrmMetrics metrics,
    IOptions<CrmOptions> options,
    TimeProvider time,
    ILogger<ExportJobHandler> logger) : IBatchJobHandler
{
    public static readonly ActivitySource ActivitySource = new("VoiceAnalytics.Crm");

    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        if (job.Kind != PipelineJobs.Crm.Export)
        {
            metrics.RecordDead();
            return JobResult.Dead($"Unknown job kind '{job.Kind}' in the crm queue");
        }
        if (ExportJobPayload.TryParse(job.PayloadJson)?.AnalysisId is not { } analysisId)
        {
            metrics.RecordDead();
            return JobResult.Dead("Payload must be {\"analysis_id\": N} with N > 0");
        }

        LeadToExport? loaded;
        try
        {
            loaded = await leads.LoadAsync(analysisId, cancellationToken);
        }
        catch (LeadSourceUnavailableException ex)
        {
            LogLeadSourceUnavailable(analysisId, ex.Status);
            return SnoozeLimit.SnoozeOrRetry(job, options.Value.AnalysisUnavailableDelay, options.Value.SnoozeLimit, time.GetUtcNow(), ex.Message);
        }
        if (loaded is not { } found)
        {
            // Erased (privacy) or superseded and purged: nothing is left to export, and retrying cannot change that.
            LogNothingToExport(analysisId);
            return JobResult.Succeeded;
        }
        var (lead, eventTraceParent, superseded) = found;
        if (superseded)
        {
            // A late job must not overwrite the lead with an older verdict; the newer analysis has its own job.
            LogSuperseded(analysisId);
            return JobResult.Succeeded;
        }

        // Inside the worker's job span when the job carried a trace; otherwise continue the webhook's trace.
        using var activity = Activity.Current is not null && job.TraceParent is not null
            ? ActivitySource.StartActivity("crm export")
            : ActivitySource.StartContinuation("crm export", eventTraceParent);
        activity.TagConversation(lead.ConversationId);
        activity?.SetTag("crm.analysis_id", analysisId);
        activity?.SetTag("crm.sink", exporter.Sink);
        using var scope = logger.BeginConversationScope(lead.ConversationId);

        var recordId = LeadRecordId.For(lead.ConversationId);
        activity?.SetTag("crm.record_id", recordId.ToString("D"));
        await exports.MarkRunningAsync(lead, recordId, exporter.Sink, cancellationToken);

        var startedAt = time.GetUtcNow();
        var outcome = await exporter.ExportAsync(lead, cancellationToken);
        activity?.SetTag("crm.outcome", outcome.Status.ToString());
        // Every try is a lineage record of its own, written when it ends, whatever its outcome.
        var attemptOutcome = outcome.Status switch
        {
            ExportStatus.Exported => ExportAttemptRecord.Exported,
            ExportStatus.CircuitOpen => ExportAttemptRecord.Skipped,
            _ => job.IsLastAttempt ? ExportAttemptRecord.Dead : ExportAttemptRecord.Retrying,
        };
        // Stored with the outcome below, in its transaction.
        var attempt = new ExportAttemptRecord(0, lead.ConversationId, lead.AnalysisId, lead.AnalysisVersion, recordId, exporter.Sink,
            attemptOutcome, outcome.Status == ExportStatus.CircuitOpen ? "circuit open: nothing sent" : outcome.Error, startedAt, time.GetUtcNow(),
            ExportJobPayload.TryParse(job.PayloadJson)?.RequestedBy ?? ExportAttemptRecord.Pipeline);
        switch (outcome.Status)
        {
            case ExportStatus.Exported:
                await exports.RecordAsync(lead.ConversationId, ExportStates.Done, spentAttempt: true, outcome, attempt,
                    (connection, transaction) => context.CompleteAsync(connection, transaction, cancellationToken), cancellationToken);
                LogExported(analysisId, outcome.Sink, job.Attempt);
                return JobResult.Succeeded;

            case ExportStatus.CircuitOpen:
                var now = time.GetUtcNow();
                var wait = (outcome.RetryAt ?? now) - now;
                var snooze = SnoozeLimit.SnoozeOrRetry(job, wait, options.Value.SnoozeLimit, now, outcome.Error ?? "CRM circuit open");
                if (snooze.Outcome == JobOutcome.Retry)
                {
                    return await FailAsync(job, lead, analysisId, outcome with { Error = snooze.Error }, attempt, activity, cancellationToken);
                }
                await exports.RecordAsync(lead.ConversationId, ExportStates.Queued, spentAttempt: false, outcome, attempt, null, cancellationToken);
                LogSnoozed(analysisId, wait.TotalSeconds);
                return snooze;

            default:
                return await FailAsync(job, lead, analysisId, outcome, attempt, activity, cancellationToken);
        }
    }

    private async Task<JobResult> FailAsync(ClaimedJob job, Lead lead, long analysisId, ExportOutcome outcome, ExportAttemptRecord attempt,
        Activity? activity, CancellationToken cancellationToken)
    {
        var state = job.IsLastAttempt ? ExportStates.Dead : ExportStates.Queued;
        await exports.RecordAsync(lead.ConversationId, state, spentAttempt: true, outcome, attempt, null, cancellationToken);
        activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        LogFailed(analysisId, job.Attempt, job.MaxAttempts, outcome.Error ?? "failed");
        if (job.IsLastAttempt)
        {
            metrics.RecordDead();
        }
        return JobResult.Retry(outcome.Error ?? "CRM export failed");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis service unavailable ({Status}): export of analysis {AnalysisId} waits")]
    private partial void LogLeadSourceUnavailable(long analysisId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis {AnalysisId} no longer exists; nothing to export")]
    private partial void LogNothingToExport(long analysisId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis {AnalysisId} was superseded by a re-analysis; its export is skipped")]
    private partial void LogSuperseded(long analysisId);

    // Routine, once per conversation: Debug (the job's span and crm.export.outcomes say it); failures stay at Warning.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Lead of analysis {AnalysisId} exported to {Sink} (attempt {Attempt})")]
    private partial void LogExported(long analysisId, string sink, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRM circuit open: export of analysis {AnalysisId} waits {WaitSeconds:F0} s")]
    private partial void LogSnoozed(long analysisId, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Export of analysis {AnalysisId} failed (attempt {Attempt} of {MaxAttempts}): {Reason}")]
    private partial void LogFailed(long analysisId, int attempt, int maxAttempts, string reason);
}
