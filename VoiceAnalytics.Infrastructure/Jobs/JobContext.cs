using System.Diagnostics;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The job a handler works on, and the way to complete it inside the transaction that stores its results
/// (which makes the results exactly-once: see <see cref="JobQueue.CompleteAsync(ClaimedJob, NpgsqlConnection, NpgsqlTransaction?, CancellationToken)"/>).
/// </summary>
public sealed class JobContext(ClaimedJob job, JobQueue queue)
{
    public ClaimedJob Job { get; } = job;

    /// <summary>The queue the job came from (e.g. to read its options).</summary>
    public JobQueue Queue { get; } = queue;

    /// <summary>
    /// The job's own span, continuing the trace stored with it (null when nobody listens). Alone, it is current while
    /// the handler runs. In a batch (<see cref="IBatchJobHandler"/>) the batch's span is current, and the handler makes
    /// this one current for the work that belongs to this job alone.
    /// </summary>
    public Activity? Activity { get; init; }

    /// <summary>True once the handler completed the job itself.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>
    /// Marks the job done in the caller's transaction; throws <see cref="JobLeaseLostException"/> (roll back!)
    /// when another worker owns the job now. A handler that does this still returns <see cref="JobResult.Succeeded"/>.
    /// </summary>
    public async Task CompleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await Queue.CompleteAsync(Job, connection, transaction, cancellationToken);
        IsCompleted = true;
    }

    /// <summary>
    /// Marks every job of <paramref name="batch"/> done in one statement in the caller's transaction; throws
    /// <see cref="JobLeaseLostException"/> (roll back!) when any of them is no longer held. Each still gets
    /// <see cref="JobResult.Succeeded"/> from the handler.
    /// </summary>
    public static async Task CompleteAllAsync(
        IReadOnlyList<JobContext> batch, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }
        await batch[0].Queue.CompleteAsync([.. batch.Select(c => c.Job)], connection, transaction, cancellationToken);
        foreach (var context in batch)
        {
            context.IsCompleted = true;
        }
    }
}
