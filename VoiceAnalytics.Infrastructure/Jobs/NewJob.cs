namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>A job to add with <see cref="JobQueue.EnqueueManyAsync"/>.</summary>
/// <param name="Kind">What to do, e.g. <c>export</c>.</param>
/// <param name="Key">What to do it to: the conversation id.</param>
/// <param name="PayloadJson">The job's JSON payload.</param>
/// <param name="TraceParent">The W3C traceparent the job's span will continue; null outside a trace.</param>
public sealed record NewJob(string Kind, string Key, string PayloadJson, string? TraceParent);
