namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Structured-log reads over the store.</summary>
public static class LogQueries
{
    /// <summary>Logs matching <paramref name="query"/>, newest first (by the time they were written).</summary>
    public static IReadOnlyList<StoredLog> QueryLogs(this TelemetryStore store, LogQuery query)
    {
        var minRank = LogLevels.Rank(query.Level);
        var logs = store.Logs();
        var matches = new List<StoredLog>();
        var limit = Math.Clamp(query.Limit, 1, 5_000);
        for (var i = logs.Length - 1; i >= 0 && matches.Count < limit; i--)
        {
            var log = logs[i];
            if (log.Sequence > query.AfterSequence
                && (query.Service is null || log.ServiceName.Equals(query.Service, StringComparison.OrdinalIgnoreCase))
                && (minRank < 0 || LogLevels.Rank(log.Level) >= minRank)
                && (query.ConversationId is null || log.ConversationId == query.ConversationId)
                && (query.TraceId is null || string.Equals(log.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
                && (string.IsNullOrEmpty(query.Text) || Matches(log, query.Text)))
            {
                matches.Add(log);
            }
        }
        // Picked newest-arrived first (that is what the limit keeps), shown newest-written first: exporters
        // batch per service, so arrival order interleaves services by batch rather than by time.
        return [.. matches.OrderByDescending(l => l.Time).ThenByDescending(l => l.Sequence)];
    }

    private static bool Matches(StoredLog log, string text) =>
        log.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || log.Category.Contains(text, StringComparison.OrdinalIgnoreCase)
        || log.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
}
