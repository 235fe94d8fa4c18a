namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>A job for <see cref="JobQueue.EnqueueManyAsync"/>.</summary>
/// <param name="Kind">What to do, e.g. <c>analyze</c>.</param>
/// <param name="Key">What to do it to: the conversation id.</param>
/// <param name="PayloadJson">The job's JSON payload, e.g. <c>{"event_id": 42}</c>.</param>
/// <param name="TraceParent">The W3C traceparent to continue when the job runs.</param>
public sealed record NewJob(string Kind, string Key, string PayloadJson, string? TraceParent);
