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
    /// The job's own span, continuing the trace stored with it. In a batch (<see cref="IBatchJobHandler"/>) the
    /// handler makes it current for the work that belongs to this job alone.
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
}
