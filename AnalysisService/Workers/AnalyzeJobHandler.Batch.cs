using System.Diagnostics;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService.Workers;

/// <summary>
/// A claimed batch at once, with the offline analyzer: one query reads every job's event, each job is judged and
/// analysed under its own span as it would be alone, then ONE transaction stores every analysis, enqueues every CRM
/// export job and completes every job that succeeded, and one nudge tells the CRM. With an LLM provider each job
/// runs as it would alone, one after another, so the throttle sees every call.
/// </summary>
public sealed partial class AnalyzeJobHandler
{
    public async Task<IReadOnlyList<JobResult>> HandleBatchAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (analyzer.UsesProvider)
        {
            return await HandleEachAsync(batch, cancellationToken);
        }

        var results = new JobResult?[batch.Count];
        var payloads = new AnalyzeJobPayload[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            results[i] = CheckPayload(batch[i].Job, out payloads[i]);
        }
        var found = await events.GetForAnalysisAsync(
            [.. Enumerable.Range(0, batch.Count).Where(i => results[i] is null).Select(i => payloads[i].EventId).Distinct()], cancellationToken);

        var stores = new List<PendingStore>();
        var nothingToStore = new List<JobContext>();
        var analysedHere = new HashSet<long>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is not null)
            {
                continue;
            }
            var context = batch[i];
            var payload = payloads[i];
            results[i] = Judge(context.Job, payload, found.GetValueOrDefault(payload.EventId), analysedHere.Contains(payload.EventId), out var admitted);
            if (results[i] is { Outcome: JobOutcome.Succeeded })
            {
                nothingToStore.Add(context);
            }
            if (results[i] is not null)
            {
                continue;
            }
            var pending = await AnalyzeInJobSpanAsync(context, payload, admitted, cancellationToken);
            if (pending.Failure is { } failure)
            {
                results[i] = failure;
                continue;
            }
            results[i] = JobResult.Succeeded;
            stores.Add(pending);
            analysedHere.Add(payload.EventId);
        }

        if (stores.Count > 0)
        {
            await StoreAllAsync(stores, nothingToStore, cancellationToken);
            await crm.NudgeAsync(stores[^1].Event.ConversationId, cancellationToken);
        }
        return results!;
    }

    /// <summary>The analysis of one job, under that job's span (made current here, for this call only).</summary>
    private async Task<PendingStore> AnalyzeInJobSpanAsync(JobContext context, AnalyzeJobPayload payload, Admitted admitted, CancellationToken cancellationToken)
    {
        Activity.Current = context.Activity;
        var (storedEvent, transcript, automatic) = admitted;
        // Ended after the batch's commit, with the stored analysis' id and version on it.
        var activity = AnalysisMetrics.ActivitySource.StartActivity("analyze conversation").TagConversation(transcript.ConversationId);
        activity?.SetTag("analysis.turns", transcript.Turns.Count);
        activity?.SetTag("analysis.explicit", !automatic);
        var analyzed = await AnalyzeThroughThrottleAsync(context.Job, transcript, cancellationToken);
        if (analyzed.Failure is { } failure)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.Error ?? "snoozed");
            activity?.Dispose();
            return new PendingStore(context, storedEvent, payload, null!, default, null, null, failure);
        }
        var result = analyzed.Result!;
        activity?.SetTag("analysis.model", result.Model);
        activity?.SetTag("analysis.prompt_version", result.PromptVersion);
        activity?.SetTag("analysis.input_tokens", result.InputTokens);
        activity?.SetTag("analysis.output_tokens", result.OutputTokens);
        // The export job continues this conversation's trace from its analysis, as it does when the job runs alone.
        return new PendingStore(context, storedEvent, payload, result, analyzed.Latency, activity, ConversationTelemetry.CurrentTraceParent(), null);
    }

    /// <summary>
    /// One transaction for the batch: every analysis (under its conversation's lock, with its verdict encrypted), every
    /// export job (one statement, one notification), and the completion of every job that succeeded, committed once.
    /// Throws (so the worker runs the jobs alone) if any job's lease was lost: nothing of the batch is stored then.
    /// </summary>
    private async Task StoreAllAsync(List<PendingStore> stores, List<JobContext> nothingToStore, CancellationToken cancellationToken)
    {
        IReadOnlyList<(long Id, int Version)> stored;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            stored = await analyses.InsertManyAsync(connection, transaction, [.. stores.Select(s => new NewAnalysisVersion(
                s.Event.Id, s.Event.ConversationId, s.Result, s.Latency, s.Context.Job.Id,
                s.Payload.Reason ?? AnalysisRequester.WebhookReason, s.Payload.RequestedBy ?? AnalysisRequester.Pipeline))], cancellationToken);
            await crmQueue.EnqueueManyAsync(connection, transaction, [.. stores.Select((s, i) => new NewJob(
                PipelineJobs.Crm.Export, s.Event.ConversationId, new ExportJobPayload(stored[i].Id).ToJson(), s.TraceParent))], cancellationToken);
            await JobContext.CompleteAllAsync([.. stores.Select(s => s.Context), .. nothingToStore], connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            foreach (var store in stores)
            {
                store.Activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            }
            throw;
        }
        finally
        {
            EndSpans(stores);
        }

        for (var i = 0; i < stores.Count; i++)
        {
            var (id, version) = stored[i];
            var store = stores[i];
            metrics.Outcome(store.Result.Model, "stored");
            LogStored(id, version, store.Event.ConversationId, store.Result.Model, store.Result.InputTokens, store.Result.OutputTokens, store.Latency.TotalMilliseconds);
        }
    }

    private static void EndSpans(List<PendingStore> stores)
    {
        // Ending a span makes its parent current again: the batch's span stays current here.
        var current = Activity.Current;
        foreach (var store in stores)
        {
            store.Activity?.Dispose();
        }
        Activity.Current = current;
    }

    /// <summary>Each job as it would run alone, in turn, under its own span; a failure is that job's verdict alone.</summary>
    private async Task<IReadOnlyList<JobResult>> HandleEachAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken)
    {
        var results = new List<JobResult>(batch.Count);
        foreach (var context in batch)
        {
            try
            {
                results.Add(await HandleInJobSpanAsync(context, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results.Add(JobResult.Retry($"{ex.GetType().Name}: {ex.Message}"));
            }
        }
        return results;
    }

    private async Task<JobResult> HandleInJobSpanAsync(JobContext context, CancellationToken cancellationToken)
    {
        // An async method: the change of the current span is undone for the caller when it returns.
        Activity.Current = context.Activity;
        return await HandleAsync(context, cancellationToken);
    }

    /// <summary>A job analysed and waiting for the batch's transaction; or, with <c>Failure</c>, its verdict.</summary>
    private sealed record PendingStore(
        JobContext Context,
        StoredEvent Event,
        AnalyzeJobPayload Payload,
        AnalyzerResult Result,
        TimeSpan Latency,
        Activity? Activity,
        string? TraceParent,
        JobResult? Failure);
}
