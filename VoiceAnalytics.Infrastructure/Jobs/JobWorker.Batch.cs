using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A claimed batch handed whole to an <see cref="IBatchJobHandler"/>: one DI scope and one handler call for the
/// batch, with every per-job guarantee of the single path kept. Each job has its own span continuing the trace
/// stored with it (a conversation stays one trace) and its own metrics and verdict. The work the jobs share
/// (reading their inputs, the one transaction that stores their results) runs under a batch span: the root of a
/// trace of its own, linked to each job's span, because it belongs to no single conversation. The leases of
/// every job in hand are renewed together, and the succeeded jobs are completed together, one statement each.
/// </summary>
internal sealed partial class JobWorker
{
    private async Task ProcessBatchAsync(IBatchJobHandler handler, IReadOnlyList<ClaimedJob> jobs, CancellationToken stoppingToken)
    {
        var outer = Activity.Current;
        var batch = new List<JobContext>(jobs.Count);
        foreach (var job in jobs)
        {
            metrics.Claimed(queue.Name, job.Kind);
            // Starting a span makes it current: without this, a job with no stored trace would become the child of
            // the job before it, and the batch's span too.
            Activity.Current = null;
            batch.Add(new JobContext(job, queue) { Activity = StartJobSpan(job) });
        }
        try
        {
            Activity.Current = null;
            await RunBatchAsync(handler, batch, stoppingToken);
        }
        finally
        {
            foreach (var context in batch)
            {
                context.Activity?.Dispose();
            }
            Activity.Current = outer;
        }
    }

    private async Task RunBatchAsync(IBatchJobHandler handler, List<JobContext> batch, CancellationToken stoppingToken)
    {
        using var batchSpan = ActivitySource.StartActivity($"job batch {queue.Name}", ActivityKind.Consumer, parentContext: default,
            tags: [new("job.queue", queue.Name), new("job.batch_size", batch.Count)],
            links: [.. batch.Where(c => c.Activity is not null).Select(c => new ActivityLink(c.Activity!.Context))]);

        var lost = new ConcurrentDictionary<long, bool>();
        using var leaseLost = new CancellationTokenSource();
        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var stopRenewing = new CancellationTokenSource();
        var renewal = RenewLeasesAsync(batch, lost, leaseLost, stopRenewing.Token);
        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<JobResult> results;
        try
        {
            results = await handler.HandleBatchAsync(batch, handlerToken.Token);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The handler returned {results.Count} verdicts for a batch of {batch.Count} jobs.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-batch: what the handler did not complete goes back now, without spending an attempt.
            results = [.. batch.Select(c => c.IsCompleted ? JobResult.Succeeded : JobResult.Snooze(TimeSpan.Zero))];
        }
        catch (Exception ex)
        {
            // A shared transaction failed or a lease was lost: the batch's results were rolled back, so each job still
            // held runs again alone, as if it had been claimed alone.
            batchSpan?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogBatchFailed(queue.Name, batch.Count, $"{ex.GetType().Name}: {ex.Message}");
            results = [];
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewal;
        }

        if (results.Count == 0)
        {
            await RunEachAloneAsync(batch, lost, stoppingToken);
            return;
        }
        await ApplyBatchAsync(batch, results, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Applies the handler's verdicts: the succeeded jobs it did not complete itself are completed in one statement,
    /// the others one by one (retries, dead jobs and snoozes are the exception, not the rule).
    /// </summary>
    private async Task ApplyBatchAsync(List<JobContext> batch, IReadOnlyList<JobResult> results, TimeSpan duration)
    {
        var toComplete = batch.Where((c, i) => results[i].Outcome == JobOutcome.Succeeded && !c.IsCompleted).ToList();
        IReadOnlySet<long>? completed = null;
        if (toComplete.Count > 0)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                completed = await queue.CompleteHeldAsync([.. toComplete.Select(c => c.Job)], timeout.Token);
            }
            catch (Exception ex)
            {
                foreach (var context in toComplete)
                {
                    LogVerdictNotStored(queue.Name, context.Job.Id, ex.Message);
                }
            }
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var context = batch[i];
            if (!toComplete.Contains(context))
            {
                await ApplyAsync(context, results[i], duration, context.Activity);
            }
            else if (completed?.Contains(context.Job.Id) == true)
            {
                metrics.Finished(queue.Name, context.Job.Kind, JobOutcome.Succeeded, dead: false, duration);
            }
            else if (completed is not null)
            {
                LogLeaseLost(queue.Name, context.Job.Id);
                context.Activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            }
        }
    }

    /// <summary>
    /// After a failed batch: one statement renews the leases of the jobs not known to be lost, and tells which are
    /// still held; those run again one by one, each alone, under its own span. A job the handler completed in a
    /// transaction that committed is held no longer and is done.
    /// </summary>
    private async Task RunEachAloneAsync(List<JobContext> batch, ConcurrentDictionary<long, bool> lost, CancellationToken stoppingToken)
    {
        var candidates = batch.Where(c => !lost.ContainsKey(c.Job.Id)).ToList();
        IReadOnlySet<long> held;
        try
        {
            held = await queue.RenewLeasesAsync([.. candidates.Select(c => c.Job)], stoppingToken);
        }
        catch (Exception ex)
        {
            // The leases may still hold: each verdict's guard decides (and a shutdown gives the jobs back).
            if (ex is not OperationCanceledException)
            {
                LogLeasesNotRenewed(queue.Name, candidates.Count, ex.Message);
            }
            held = candidates.Where(c => !c.IsCompleted).Select(c => c.Job.Id).ToHashSet();
        }
        var alone = new List<(ClaimedJob Job, Activity? Span)>();
        foreach (var context in batch)
        {
            if (held.Contains(context.Job.Id))
            {
                alone.Add((context.Job, context.Activity));
            }
            else if (context.IsCompleted && !lost.ContainsKey(context.Job.Id))
            {
                metrics.Finished(queue.Name, context.Job.Kind, JobOutcome.Succeeded, dead: false, TimeSpan.Zero);
            }
            else
            {
                LogLeaseLost(queue.Name, context.Job.Id);
                context.Activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            }
        }
        await ProcessInTurnAsync(alone, stoppingToken);
    }

    /// <summary>
    /// Renews the leases of every job of the batch still in hand, in one statement every third of a lease. A job whose
    /// lease was lost (and which the handler did not complete) cancels the batch: its shared commit would fail anyway.
    /// </summary>
    private async Task RenewLeasesAsync(
        List<JobContext> batch, ConcurrentDictionary<long, bool> lost, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var interval = queue.Options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            if (!await DelayQuietlyAsync(interval, stop))
            {
                return;
            }
            var open = batch.Where(c => !c.IsCompleted).ToList();
            if (open.Count == 0)
            {
                return;
            }
            try
            {
                var held = await queue.RenewLeasesAsync([.. open.Select(c => c.Job)], stop);
                // A handler that completed a job in its own transaction (meanwhile) no longer holds it running.
                var gone = open.Where(c => !held.Contains(c.Job.Id) && !c.IsCompleted).ToList();
                if (gone.Count > 0)
                {
                    foreach (var context in gone)
                    {
                        lost[context.Job.Id] = true;
                    }
                    await leaseLost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be back before the leases run out; keep trying.
                LogLeasesNotRenewed(queue.Name, open.Count, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} jobs in queue {Queue} failed; each job still held runs again alone: {Reason}")]
    private partial void LogBatchFailed(string queue, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leases of {Count} jobs in queue {Queue} not renewed: {Reason}")]
    private partial void LogLeasesNotRenewed(string queue, int count, string reason);
}
