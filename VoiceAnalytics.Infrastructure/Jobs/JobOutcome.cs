namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>What a handler asks the worker to do with its job.</summary>
public enum JobOutcome
{
    /// <summary>Done (the worker completes the job unless the handler already did, in its own transaction).</summary>
    Succeeded,

    /// <summary>A failed attempt; retried after backoff, dead once attempts are spent.</summary>
    Retry,

    /// <summary>A failure no retry can fix; the job is dead at once.</summary>
    Dead,

    /// <summary>Not now (e.g. HTTP 429): run again later without spending an attempt.</summary>
    Snooze,
}
