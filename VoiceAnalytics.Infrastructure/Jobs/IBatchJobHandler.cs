namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// A handler that can also take a whole claimed batch at once, so that what its jobs share (reading their inputs,
/// storing their results, completing them) costs one round trip and one commit per batch instead of one per job.
/// The worker calls <see cref="HandleBatchAsync"/> when a claim returned more than one job, and
/// <see cref="IJobHandler.HandleAsync"/> for a single job. While the call runs, the worker renews every job's lease
/// (one statement for all) and cancels the call if one of them is lost or the process stops.
/// </summary>
public interface IBatchJobHandler : IJobHandler
{
    /// <summary>
    /// Handles every job of <paramref name="batch"/> and returns one verdict per job, in the same order. Each
    /// context's <see cref="JobContext.Activity"/> is that job's own span, continuing its conversation's trace: work
    /// that belongs to one job alone runs with it made current. The call itself runs under the batch's span (the root
    /// of a trace of its own, linked to every job's span), where the statements the jobs share are traced. A job
    /// completed in the handler's transaction (<see cref="JobContext.CompleteAsync"/>, or all at once with
    /// <see cref="JobContext.CompleteAllAsync"/>) gets <see cref="JobResult.Succeeded"/>; a succeeded job the handler
    /// did not complete is completed by the worker, with the others, in one statement.
    /// If this throws (a shared transaction failed, a lease was lost), the worker runs each job of the batch that it
    /// still holds (not completed by a committed transaction, not lost) again on its own, through
    /// <see cref="IJobHandler.HandleAsync"/>, within the same attempt. When the process stops, the call is cancelled
    /// and the jobs not completed go back without spending an attempt.
    /// </summary>
    Task<IReadOnlyList<JobResult>> HandleBatchAsync(IReadOnlyList<JobContext> batch, CancellationToken cancellationToken);
}
