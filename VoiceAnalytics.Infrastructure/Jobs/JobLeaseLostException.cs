namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// The job is no longer running under the caller's lease (it expired and another worker took the job, or it
/// was already finished). Thrown inside the caller's transaction so that the caller rolls back its results:
/// this is what keeps results exactly-once.
/// </summary>
public sealed class JobLeaseLostException(string queue, long jobId)
    : InvalidOperationException($"Job {jobId} in queue '{queue}' is no longer held by this worker's lease.")
{
    public string Queue { get; } = queue;

    public long JobId { get; } = jobId;
}
