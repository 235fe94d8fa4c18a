namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Trace-shaped reads over the store: the traces list and one trace's spans for the waterfall.</summary>
public static class TraceQueries
{
    /// <summary>Traces matching <paramref name="query"/>, newest first.</summary>
    public static IReadOnlyList<TraceSummary> ListTraces(this TelemetryStore store, TraceQuery query)
    {
        var summaries = store.Spans()
            .GroupBy(s => s.TraceId)
            .Select(Summarize)
            .Where(t => query.Service is null || t.Services.Contains(query.Service, StringComparer.OrdinalIgnoreCase))
            .Where(t => query.ConversationId is null || t.ConversationIds.Contains(query.ConversationId))
            .Where(t => string.IsNullOrEmpty(query.Text)
                || t.RootName.Contains(query.Text, StringComparison.OrdinalIgnoreCase)
                || t.TraceId.Equals(query.Text, StringComparison.OrdinalIgnoreCase))
            .Where(t => !query.ErrorsOnly || t.HasError)
            .OrderByDescending(t => t.Start);
        return [.. summaries.Take(Math.Clamp(query.Limit, 1, 5_000))];
    }

    /// <summary>The spans of one trace ordered by start (the waterfall order); empty when unknown.</summary>
    public static IReadOnlyList<StoredSpan> GetTrace(this TelemetryStore store, string traceId) =>
        [.. store.Spans()
            .Where(s => s.TraceId.Equals(traceId, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Start)
            .ThenBy(s => s.ParentSpanId is null ? 0 : 1)];

    public static TraceSummary Summarize(IEnumerable<StoredSpan> traceSpans)
    {
        var spans = traceSpans.ToList();
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        // The root is the span without a parent; if its exporter has not reported yet (or it was dropped),
        // the earliest span whose parent is missing stands in for it.
        var root = spans.Where(s => s.ParentSpanId is null).MinBy(s => s.Start)
            ?? spans.Where(s => !ids.Contains(s.ParentSpanId!)).MinBy(s => s.Start)
            ?? spans.MinBy(s => s.Start)!;
        var start = spans.Min(s => s.Start);
        var end = spans.Max(s => s.End);
        return new TraceSummary(
            root.TraceId,
            root.Name,
            root.ServiceName,
            [.. spans.OrderBy(s => s.Start).Select(s => s.ServiceName).Distinct()],
            start,
            Math.Max(0, (end - start).TotalMilliseconds),
            spans.Count,
            spans.Any(s => s.IsError),
            [.. spans.Select(s => s.ConversationId).OfType<string>().Distinct()]);
    }
}
