namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The pipeline's headline metrics. Matched by name fragments (case-insensitive), so a service can rename an
/// instrument slightly without the panel going blank; every other metric still shows in the full list.
/// </summary>
public static class KeyMetrics
{
    public static readonly IReadOnlyList<KeyMetric> All =
    [
        new("webhooks", "Webhooks accepted / rejected", ["webhook"]),
        new("queue-depth", "Queue depth", ["queue.depth", "queue_depth", "jobs.pending", "queue.size"]),
        new("analysis-latency", "Analysis latency", ["analysis.duration", "analysis.latency", "analyze.duration"]),
        new("crm-outcomes", "CRM outcomes", ["crm.export", "crm.outcome", "crm.request"]),
        new("breaker", "Circuit breaker state", ["breaker", "circuit"]),
    ];
}
