namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>The outcome of an enqueue.</summary>
/// <param name="JobId">The new job's id, or with de-duplication the id of the queued or running job that already exists.</param>
/// <param name="Created">False when de-duplication found an existing job and nothing was inserted.</param>
public sealed record EnqueueResult(long JobId, bool Created);
