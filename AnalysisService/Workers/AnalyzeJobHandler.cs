using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Analyzers.OpenAi;
using VoiceAnalytics.AnalysisService.Data;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.AnalysisService.Throttling;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService.Workers;

/// <summary>
/// Analyses one stored conversation: loads its event, runs the analyzer through the global throttle, then
/// commits the analysis, the CRM export job and the job's completion in ONE transaction (so a crash never
/// leaves an analysis without its export, or a second analysis for one job), and finally nudges the CRM. A claimed
/// batch is handled at once: one read and one commit for all its jobs (see <see cref="HandleBatchAsync"/>).
/// </summary>
public sealed partial class AnalyzeJobHandler(
    NpgsqlDataSource dataSource,
    EventStore events,
    AnalysisStore analyses,
    IAnalyzer analyzer,
    LlmThrottle throttle,
    [FromKeyedServices(PipelineJobs.Crm.Queue)] JobQueue crmQueue,
    CrmNudger crm,
    AnalysisMetrics metrics,
    IOptions<AnalyzerOptions> options,
    TimeProvider time,
    ILogger<AnalyzeJobHandler> logger) : IBatchJobHandler
{
    public async Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var job = context.Job;
        if (CheckPayload(job, out var payload) is { } rejected)
        {
            return rejected;
        }
        var found = await events.GetForAnalysisAsync(payload.EventId, cancellationToken);
        if (Judge(job, payload, found, analysedInBatch: false, out var admitted) is { } verdict)
        {
            return verdict;
        }
        var (storedEvent, transcript, automatic) = admitted;

        using var activity = AnalysisMetrics.ActivitySource.StartActivity("analyze conversation").TagConversation(transcript.ConversationId);
        activity?.SetTag("analysis.turns", transcript.Turns.Count);
        activity?.SetTag("analysis.explicit", !automatic);

        var analyzed = await AnalyzeThroughThrottleAsync(job, transcript, cancellationToken);
        if (analyzed.Failure is { } failure)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.Error ?? "snoozed");
            return failure;
        }
        var (result, latency) = (analyzed.Result!, analyzed.Latency);
        activity?.SetTag("analysis.model", result.Model);
        activity?.SetTag("analysis.prompt_version", result.PromptVersion);
        activity?.SetTag("analysis.input_tokens", result.InputTokens);
        activity?.SetTag("analysis.output_tokens", result.OutputTokens);

        long analysisId;
        int version;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            (analysisId, version) = await analyses.InsertAsync(connection, transaction, new NewAnalysisVersion(
                storedEvent.Id, storedEvent.ConversationId, result, latency, job.Id,
                payload.Reason ?? AnalysisRequester.WebhookReason, payload.RequestedBy ?? AnalysisRequester.Pipeline), cancellationToken);
            await crmQueue.EnqueueAsync(connection, transaction, PipelineJobs.Crm.Export, storedEvent.ConversationId,
                new ExportJobPayload(analysisId).ToJson(), ConversationTelemetry.CurrentTraceParent(),
                cancellationToken: cancellationToken);
            // Throws (and so rolls everything back) if another worker took the job over meanwhile.
            await context.CompleteAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        metrics.Outcome(result.Model, "stored");
        activity?.SetTag("analysis.id", analysisId);
        activity?.SetTag("analysis.version", version);
        LogStored(analysisId, version, storedEvent.ConversationId, result.Model, result.InputTokens, result.OutputTokens, latency.TotalMilliseconds);

        await crm.NudgeAsync(storedEvent.ConversationId, cancellationToken);
        return JobResult.Succeeded;
    }

    /// <summary>The verdict on a job whose kind or payload is unusable (dead); null when it names an event to read.</summary>
    private static JobResult? CheckPayload(ClaimedJob job, out AnalyzeJobPayload payload)
    {
        payload = null!;
        if (job.Kind is not (PipelineJobs.Analysis.Analyze or PipelineJobs.Analysis.AnalyzeNow))
        {
            return JobResult.Dead($"Unknown job kind '{job.Kind}' in the analysis queue.");
        }
        if (AnalyzeJobPayload.TryParse(job.PayloadJson) is not { } parsed)
        {
            return JobResult.Dead("The job payload has no event_id.");
        }
        payload = parsed;
        return null;
    }

    /// <summary>
    /// The verdict on a job without analysing (its event is missing or not a transcription, it was analysed already,
    /// automatic analysis is off, its transcript is unreadable); null when it is to be analysed, with what to analyse.
    /// <paramref name="analysedInBatch"/>: an earlier job of the same batch stores an analysis of the same event.
    /// </summary>
    private JobResult? Judge(ClaimedJob job, AnalyzeJobPayload payload, EventForAnalysis? found, bool analysedInBatch, out Admitted admitted)
    {
        admitted = null!;
        if (found is null)
        {
            return JobResult.Dead($"Event {payload.EventId} does not exist (erased?).");
        }
        var (storedEvent, alreadyAnalysed) = found;
        if (storedEvent.EventType != EventStore.TranscriptionEvent)
        {
            return JobResult.Dead($"Event {payload.EventId} is a {storedEvent.EventType} event; only {EventStore.TranscriptionEvent} is analysed.");
        }

        var automatic = job.Kind == PipelineJobs.Analysis.Analyze;
        if (automatic && (alreadyAnalysed || analysedInBatch))
        {
            // Analysed already (an explicit request overtook it): the automatic job has nothing left to do.
            LogAlreadyAnalysed(storedEvent.ConversationId);
            return JobResult.Succeeded;
        }
        if (automatic && !options.Value.AutoAnalyze)
        {
            // ANALYZE_AUTO=false: the event waits for AnalyzeNow; looking again now and then notices a switch to true.
            return JobResult.Snooze(options.Value.AutoOffRecheck);
        }

        try
        {
            using var document = JsonDocument.Parse(storedEvent.PayloadJson);
            admitted = new Admitted(storedEvent, TranscriptReader.Read(document.RootElement), automatic);
            return null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return JobResult.Dead($"Event {storedEvent.Id} is not a readable transcription: {ex.Message}");
        }
    }

    private async Task<Analyzed> AnalyzeThroughThrottleAsync(ClaimedJob job, ConversationTranscript transcript, CancellationToken cancellationToken)
    {
        ThrottleLease? lease = null;
        if (analyzer.UsesProvider)
        {
            using var wait = AnalysisMetrics.ActivitySource.StartActivity("llm throttle wait");
            lease = await throttle.AcquireAsync(analyzer.EstimateTokens(transcript), cancellationToken);
        }
        // The provider call confirms its start with the throttle as its request is sent (ThrottledSendPolicy).
        using var sending = ThrottledCall.Enter(lease is null ? null : throttle);
        var started = Stopwatch.GetTimestamp();
        var actualTokens = 0;
        TimeSpan? pause = null;
        try
        {
            var result = await analyzer.AnalyzeAsync(transcript, cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started);
            actualTokens = result.InputTokens + result.OutputTokens;
            metrics.Analyzed(result.Model, latency, result.InputTokens, result.OutputTokens, result.CostUsd);
            return new Analyzed(result, latency, null);
        }
        catch (ProviderRateLimitedException ex)
        {
            // Not the job's fault: run it again after the pause without spending an attempt, up to Analysis:SnoozeLimit.
            pause = ex.RetryAfter;
            metrics.RateLimited(options.Value.Model);
            metrics.Outcome(options.Value.Model, "rate_limited");
            var snooze = SnoozeLimit.SnoozeOrRetry(job, ex.RetryAfter, options.Value.SnoozeLimit, time.GetUtcNow(), "LLM provider rate limit (HTTP 429)");
            return new Analyzed(null, default, snooze);
        }
        catch (InvalidVerdictException ex)
        {
            metrics.Outcome(options.Value.Model, "invalid");
            LogInvalid(transcript.ConversationId, ex.Message);
            return new Analyzed(null, default, JobResult.Retry(ex.Message));
        }
        catch (LlmProviderException ex)
        {
            metrics.Outcome(options.Value.Model, "failed");
            return new Analyzed(null, default, JobResult.Retry(ex.Message));
        }
        finally
        {
            if (lease is not null)
            {
                await throttle.ReleaseAsync(lease, actualTokens, pause, CancellationToken.None);
            }
        }
    }

    private sealed record Analyzed(AnalyzerResult? Result, TimeSpan Latency, JobResult? Failure);

    private sealed record Admitted(StoredEvent Event, ConversationTranscript Transcript, bool Automatic);

    // Routine, once per conversation: Debug, so the dashboard and the console are not fed a record per job (the job's
    // span and the metrics already say it); failures and rejections stay at Warning.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Analysis {AnalysisId} (version {Version}) of conversation {ConversationId} stored: model {Model}, {InputTokens}+{OutputTokens} tokens, {LatencyMs} ms")]
    private partial void LogStored(long analysisId, int version, string conversationId, string model, int inputTokens, int outputTokens, double latencyMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analyzer answer for conversation {ConversationId} rejected: {Reason}")]
    private partial void LogInvalid(string conversationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} is analysed already; automatic job finished without a new version")]
    private partial void LogAlreadyAnalysed(string conversationId);
}
