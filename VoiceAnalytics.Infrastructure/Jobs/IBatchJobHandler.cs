namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A handler that can also take a whole claimed batch at once, so that what its jobs share (reading their inputs,
/// storing their results, completing them) costs one round trip and one commit per batch instead of one per job.
/// The worker calls <see cref="HandleBatchAsync"/> when a claim returned more than one job, and
/// <see cref="IJobHandler.HandleAsync"/> for a single job.
/// </summary>
public interface IBatchJobHandler : IJobHandler
{
    /// <summary>
    /// Handles every job of <paramref name="batch"/> and returns one verdict per job, in the same order. Each
    /// context's <see cref="JobContext.Activity"/> is that job's own span, continuing its conversation's trace: work
    /// that belongs to one job alone runs with it made current. A job completed in the handler's transaction
    /// (<see cref="JobContext.CompleteAsync"/>) gets <see cref="JobResult.Succeeded"/>.
    /// If this throws (a shared transaction failed, a lease was lost), the worker runs each job of the batch that is
    /// not completed again on its own, through <see cref="IJobHandler.HandleAsync"/>.
    /// </summary>
    Task<IReadOnlyList<JobResult>> HandleBatchAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken);
}
