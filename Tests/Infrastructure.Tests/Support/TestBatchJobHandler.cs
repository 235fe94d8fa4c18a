using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>
/// Takes a claimed batch at once, as real batch handlers do: one transaction stores a row per job in <c>results</c>
/// and completes those jobs. The payload's <c>mode</c> gives a job another verdict (<c>dead</c>, <c>snooze</c>,
/// <c>retry</c>, <c>noop</c>: succeeded without completing it), makes the whole batch throw (<c>throw-batch</c>),
/// wait (<c>block</c>, <c>gate</c>: until <see cref="JobProbe.Gate"/> opens) or lose its lease to another worker
/// (<c>steal</c>). Alone, a job runs through <see cref="TestJobHandler"/>, where those modes store.
/// </summary>
internal sealed class TestBatchJobHandler(NpgsqlDataSource dataSource, JobProbe probe) : IBatchJobHandler
{
    private readonly TestJobHandler _alone = new(dataSource, probe);

    public Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        probe.Alone.Enqueue(context.Job);
        return _alone.HandleAsync(context, cancellationToken);
    }

    public async Task<IReadOnlyList<JobResult>> HandleBatchAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken)
    {
        probe.Batches.Enqueue([.. batch.Select(c => c.Job.Id)]);
        probe.BatchSpans.Enqueue(Activity.Current);
        var results = new JobResult[batch.Count];
        var toStore = new List<JobContext>();
        for (var i = 0; i < batch.Count; i++)
        {
            var context = batch[i];
            probe.Started.Enqueue(context.Job);
            probe.Spans.Enqueue((context.Activity?.TraceId.ToString(), context.Activity?.GetTagItem(ConversationTelemetry.ConversationIdAttribute)));
            results[i] = JobResult.Succeeded;
            switch (Mode(context.Job))
            {
                case "throw-batch":
                    throw new InvalidOperationException("batch broke");
                case "dead":
                    results[i] = JobResult.Dead("input is unusable");
                    break;
                case "snooze":
                    results[i] = JobResult.Snooze(TimeSpan.FromHours(1));
                    break;
                case "retry":
                    results[i] = JobResult.Retry("try again");
                    break;
                case "noop":
                    break;
                case "block":
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    break;
                case "gate":
                    await probe.Gate.Task.WaitAsync(cancellationToken);
                    toStore.Add(context);
                    break;
                case "steal":
                    await StealAsync(context.Job, cancellationToken);
                    toStore.Add(context);
                    break;
                default:
                    toStore.Add(context);
                    break;
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO public.results (job_id) SELECT unnest(@ids)", connection, transaction))
        {
            insert.Parameters.AddWithValue("ids", toStore.Select(c => c.Job.Id).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await JobContext.CompleteAllAsync(toStore, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var context in toStore)
        {
            probe.Finished.Enqueue(context.Job);
        }
        return results;
    }

    private static string? Mode(ClaimedJob job)
    {
        using var payload = JsonDocument.Parse(job.PayloadJson);
        return payload.RootElement.TryGetProperty("mode", out var value) ? value.GetString() : "store";
    }

    /// <summary>What happens when this worker stalled past the lease and another worker claimed the job.</summary>
    private async Task StealAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE jobs.jobs SET locked_by = 'another-worker' WHERE id = @id");
        command.Parameters.AddWithValue("id", job.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
