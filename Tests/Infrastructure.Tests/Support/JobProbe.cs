using System.Collections.Concurrent;
using System.Diagnostics;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>What the test handlers saw: jobs started and finished, the span each ran under, and the batches.</summary>
internal sealed class JobProbe
{
    public ConcurrentQueue<ClaimedJob> Started { get; } = new();

    public ConcurrentQueue<ClaimedJob> Finished { get; } = new();

    public ConcurrentQueue<(string? TraceId, object? ConversationId)> Spans { get; } = new();

    /// <summary>The jobs of each batch a batch handler was given, in order.</summary>
    public ConcurrentQueue<long[]> Batches { get; } = new();

    /// <summary>The span current while each batch was handled.</summary>
    public ConcurrentQueue<Activity?> BatchSpans { get; } = new();

    /// <summary>Jobs a batch handler was given alone.</summary>
    public ConcurrentQueue<ClaimedJob> Alone { get; } = new();

    /// <summary>Opened by a test to let jobs in mode <c>gate</c> go on.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
