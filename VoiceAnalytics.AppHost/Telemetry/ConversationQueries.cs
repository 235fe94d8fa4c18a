namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Conversation search: the traces that carry a <c>conversation.id</c>, and their logs.</summary>
public static class ConversationQueries
{
    /// <summary>Spans tagged with the conversation id.</summary>
    public static IReadOnlyList<StoredSpan> SpansForConversation(this TelemetryStore store, string conversationId) =>
        [.. store.Spans().Where(s => s.ConversationId == conversationId)];

    /// <summary>
    /// The conversation's traces, whole (a trace counts if any of its spans carries the id: the database and
    /// HTTP spans inside it do not), and the logs that carry the id or belong to one of those traces, in the
    /// order they were written.
    /// </summary>
    public static ConversationView FindConversation(this TelemetryStore store, string conversationId, int logLimit = 1_000)
    {
        var spans = store.Spans();
        var traceIds = spans.Where(s => s.ConversationId == conversationId).Select(s => s.TraceId).ToHashSet();
        var traces = spans
            .Where(s => traceIds.Contains(s.TraceId))
            .GroupBy(s => s.TraceId)
            .Select(TraceQueries.Summarize)
            .OrderBy(t => t.Start)
            .ToList();
        var logs = store.Logs()
            .Where(l => l.ConversationId == conversationId || (l.TraceId is not null && traceIds.Contains(l.TraceId)))
            .TakeLast(logLimit)
            .OrderBy(l => l.Time)
            .ThenBy(l => l.Sequence)
            .ToList();
        return new ConversationView(conversationId, traces, logs);
    }
}
