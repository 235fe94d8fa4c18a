using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Telemetry;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// Runs one queue's jobs in this process: waits for migrations, then keeps
/// <see cref="JobWorkerOptions.Concurrency"/> claim loops busy, woken by <c>NOTIFY</c>, nudges and a slow
/// poll; each loop claims up to <see cref="JobWorkerOptions.ClaimBatch"/> jobs at once. A handler that implements
/// <see cref="IBatchJobHandler"/> gets a claim of several jobs in one call (one DI scope, its leases renewed and its
/// successes completed in one statement each; if the call throws, each job still held runs again alone); otherwise the
/// jobs run in turn, each alone in its own DI scope. Either way each job gets a span that continues the trace stored
/// with it, a renewed lease, its metrics, and its handler's verdict applied to the queue. Survives database outages
/// (logs, backs off, goes on); on shutdown, jobs in hand are given back without spending an attempt.
/// </summary>
internal sealed partial class JobWorker(
    JobQueue queue,
    JobWorkerOptions options,
    IServiceScopeFactory scopes,
    MigrationState migrations,
    JobMetrics metrics,
    ILogger<JobWorker> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("VoiceAnalytics.Jobs");

    // Whether the queue's handler takes batches (IBatchJobHandler); null until a claim first returns several jobs.
    private bool? _takesBatches;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Migrations create the queue's table.
            await migrations.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        LogStarted(queue.Name, options.Concurrency);
        var loops = Enumerable.Range(0, options.Concurrency).Select(_ => RunClaimLoopAsync(stoppingToken));
        await Task.WhenAll([queue.ListenAsync(stoppingToken), RefreshStatsAsync(stoppingToken), .. loops]);
    }

    private async Task RunClaimLoopAsync(CancellationToken stoppingToken)
    {
        // Leave the caller's synchronous context at once: the loops run side by side.
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wakeUp = queue.NextWakeUp;
            try
            {
                var jobs = await queue.ClaimBatchAsync(options.ClaimBatch, stoppingToken);
                failures = 0;
                if (jobs.Count > 0)
                {
                    await ProcessClaimedAsync(jobs, stoppingToken);
                    continue;
                }
                var nextDue = await queue.GetNextDueAsync(stoppingToken);
                // A due job we could not claim is held by a concurrent claim for a moment: look again soon.
                var idle = nextDue is { } due && due < options.PollInterval
                    ? TimeSpan.FromMilliseconds(Math.Max(due.TotalMilliseconds, 50))
                    : options.PollInterval;
                await Task.WhenAny(wakeUp, Task.Delay(idle, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                var delay = JobBackoff.Delay(failures, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15));
                LogClaimFailed(queue.Name, delay.TotalMilliseconds, ex.Message);
                await DelayQuietlyAsync(delay, stoppingToken);
            }
        }
    }

    private async Task ProcessClaimedAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken stoppingToken)
    {
        if (jobs.Count > 1 && _takesBatches != false)
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(queue.Name);
            // The registration does not change while the process runs: look once.
            _takesBatches = handler is IBatchJobHandler;
            if (handler is IBatchJobHandler batchHandler)
            {
                await ProcessBatchAsync(batchHandler, jobs, stoppingToken);
                return;
            }
        }
        await ProcessInTurnAsync([.. jobs.Select(job => (job, (Activity?)null))], stoppingToken);
    }

    /// <summary>
    /// Runs the jobs one after another, each alone. <c>Span</c> is the job's span when a batch started it already
    /// (null: the job gets its own here).
    /// </summary>
    private async Task ProcessInTurnAsync(IReadOnlyList<(ClaimedJob Job, Activity? Span)> jobs, CancellationToken stoppingToken)
    {
        var claimedAt = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs.Count; i++)
        {
            var (job, span) = jobs[i];
            if (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the jobs not started yet go back at once, without spending an attempt.
                await GiveBackAsync(jobs.Skip(i).Select(j => j.Job));
                return;
            }
            // A job that waited behind the others for a third of its lease has it renewed before it starts; one whose
            // lease was lost meanwhile belongs to another worker now.
            if (i > 0 && Stopwatch.GetElapsedTime(claimedAt) > queue.Options.LeaseDuration / 3 && !await TryRenewBeforeStartAsync(job, stoppingToken))
            {
                LogLeaseLost(queue.Name, job.Id);
                span?.SetStatus(ActivityStatusCode.Error, "lease lost");
                continue;
            }
            if (span is null)
            {
                await ProcessAsync(job, stoppingToken);
            }
            else
            {
                await RunAloneAsync(new JobContext(job, queue) { Activity = span }, stoppingToken);
            }
        }
    }

    private async Task<bool> TryRenewBeforeStartAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        try
        {
            return await queue.RenewLeaseAsync(job, stoppingToken);
        }
        catch (Exception ex)
        {
            // The lease may still hold: the verdict's guard decides, as for any job (and a shutdown gives it back).
            if (ex is not OperationCanceledException)
            {
                LogRenewalFailed(queue.Name, job.Id, ex.Message);
            }
            return true;
        }
    }

    private async Task GiveBackAsync(IEnumerable<ClaimedJob> jobs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        foreach (var job in jobs)
        {
            try
            {
                await queue.SnoozeAsync(job, TimeSpan.Zero, timeout.Token);
            }
            catch (Exception ex)
            {
                LogVerdictNotStored(queue.Name, job.Id, ex.Message);
            }
        }
    }

    private async Task ProcessAsync(ClaimedJob job, CancellationToken stoppingToken)
    {
        metrics.Claimed(queue.Name, job.Kind);
        using var activity = StartJobSpan(job);
        await RunAloneAsync(new JobContext(job, queue) { Activity = activity }, stoppingToken);
    }

    private Activity? StartJobSpan(ClaimedJob job)
    {
        var activity = ActivitySource.StartContinuation($"job {queue.Name}/{job.Kind}", job.TraceParent).TagConversation(job.Key);
        activity?.SetTag("job.queue", queue.Name);
        activity?.SetTag("job.id", job.Id);
        activity?.SetTag("job.attempt", job.Attempt);
        return activity;
    }

    /// <summary>Runs one job through <see cref="IJobHandler.HandleAsync"/> in a scope of its own, with its span current.</summary>
    private async Task RunAloneAsync(JobContext context, CancellationToken stoppingToken)
    {
        var job = context.Job;
        var activity = context.Activity;
        // Local to this call: the caller's current span is untouched when it returns.
        Activity.Current = activity;
        using var logScope = logger.BeginConversationScope(job.Key);

        using var leaseLost = new CancellationTokenSource();
        using var handlerToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var stopRenewing = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(context, leaseLost, stopRenewing.Token);
        var started = Stopwatch.GetTimestamp();
        JobResult result;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(queue.Name);
            result = await handler.HandleAsync(context, handlerToken.Token);
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            LogLeaseLost(queue.Name, job.Id);
            activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-job: give it back now rather than after the lease expires.
            result = JobResult.Snooze(TimeSpan.Zero);
        }
        catch (JobLeaseLostException)
        {
            LogLeaseLost(queue.Name, job.Id);
            activity?.SetStatus(ActivityStatusCode.Error, "lease lost");
            return;
        }
        catch (Exception ex)
        {
            result = JobResult.Retry($"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewal;
        }
        await ApplyAsync(context, result, Stopwatch.GetElapsedTime(started), activity);
    }

    private async Task ApplyAsync(JobContext context, JobResult result, TimeSpan duration, Activity? activity)
    {
        var job = context.Job;
        // The verdict is written even during shutdown, but not forever: if it cannot be, the lease expires
        // and the job runs again.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var dead = false;
        try
        {
            switch (result.Outcome)
            {
                case JobOutcome.Succeeded when !context.IsCompleted:
                    await queue.CompleteAsync(job, timeout.Token);
                    break;
                case JobOutcome.Succeeded:
                    break;
                case JobOutcome.Snooze:
                    await queue.SnoozeAsync(job, result.Delay ?? TimeSpan.Zero, timeout.Token);
                    break;
                default:
                    var error = result.Error ?? "failed";
                    var permanent = result.Outcome == JobOutcome.Dead;
                    dead = await queue.FailAsync(job, error, permanent, result.Delay, timeout.Token) == JobState.Dead;
                    activity?.SetStatus(ActivityStatusCode.Error, error);
                    if (dead)
                    {
                        LogDead(queue.Name, job.Id, job.Kind, job.Attempt, error);
                    }
                    else
                    {
                        LogRetrying(queue.Name, job.Id, job.Kind, job.Attempt, error);
                    }
                    break;
            }
            metrics.Finished(queue.Name, job.Kind, result.Outcome, dead, duration);
        }
        catch (JobLeaseLostException) when (context.IsCompleted)
        {
            // The handler completed the job in its transaction, then failed or was stopped: it is done.
        }
        catch (JobLeaseLostException)
        {
            LogLeaseLost(queue.Name, job.Id);
        }
        catch (Exception ex)
        {
            LogVerdictNotStored(queue.Name, job.Id, ex.Message);
        }
    }

    private async Task RenewLeaseAsync(JobContext context, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var interval = queue.Options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            if (!await DelayQuietlyAsync(interval, stop))
            {
                return;
            }
            try
            {
                // A handler that completed in its own transaction no longer holds a running job.
                if (!await queue.RenewLeaseAsync(context.Job, stop) && !context.IsCompleted)
                {
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
                // The database may be back before the lease runs out; keep trying.
                LogRenewalFailed(queue.Name, context.Job.Id, ex.Message);
            }
        }
    }

    private async Task RefreshStatsAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                metrics.ReportStats(queue.Name, await queue.GetStatsAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStatsFailed(queue.Name, ex.Message);
            }
            await DelayQuietlyAsync(options.StatsInterval, stoppingToken);
        }
    }

    private static async Task<bool> DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker for queue {Queue} started with {Concurrency} claim loops")]
    private partial void LogStarted(string queue, int concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim from queue {Queue}; retrying in {DelayMs} ms: {Reason}")]
    private partial void LogClaimFailed(string queue, double delayMs, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} in queue {Queue} was lost: its lease expired and another worker owns it")]
    private partial void LogLeaseLost(string queue, long jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) in queue {Queue} failed attempt {Attempt}; will retry: {Error}")]
    private partial void LogRetrying(string queue, long jobId, string kind, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) in queue {Queue} is dead after attempt {Attempt}: {Error}")]
    private partial void LogDead(string queue, long jobId, string kind, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outcome of job {JobId} in queue {Queue} not stored; it runs again after its lease: {Reason}")]
    private partial void LogVerdictNotStored(string queue, long jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease of job {JobId} in queue {Queue} not renewed: {Reason}")]
    private partial void LogRenewalFailed(string queue, long jobId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Statistics of queue {Queue} not read: {Reason}")]
    private partial void LogStatsFailed(string queue, string reason);
}
