using System.Collections.Concurrent;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>What the test handler saw: jobs started and finished, and the span each ran under.</summary>
internal sealed class JobProbe
{
    public ConcurrentQueue<ClaimedJob> Started { get; } = new();

    public ConcurrentQueue<ClaimedJob> Finished { get; } = new();

    public ConcurrentQueue<(string? TraceId, object? ConversationId)> Spans { get; } = new();
}
