namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Where a job is in its life: <c>queued → running → done</c>, or back to queued on a retry, or <c>dead</c>.</summary>
public enum JobState
{
    /// <summary>Waiting for its <c>run_at</c> and a worker.</summary>
    Queued,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Done,

    /// <summary>Given up: attempts exhausted or a permanent error; <c>last_error</c> says why.</summary>
    Dead,
}
