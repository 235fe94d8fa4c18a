namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// Does the work of one job. Resolved from a fresh DI scope per job, under the queue's name
/// (registered by <c>AddJobQueue(name).AddWorker&lt;THandler&gt;()</c>). The cancellation token fires on
/// shutdown (the job is then handed back without spending an attempt) and when the job's lease is lost.
/// </summary>
public interface IJobHandler
{
    Task<JobResult> HandleAsync(JobContext context, CancellationToken cancellationToken);
}
