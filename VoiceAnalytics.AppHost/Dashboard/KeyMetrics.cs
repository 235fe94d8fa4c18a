namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The pipeline's headline metrics, by the instrument names the services use (GatewayTelemetry, JobMetrics,
/// AnalysisMetrics, CrmMetrics), matched as case-insensitive fragments; every other metric shows in the full list.
/// </summary>
public static class KeyMetrics
{
    public static readonly IReadOnlyList<KeyMetric> All =
    [
        new("webhooks", "Webhooks accepted / rejected", ["gateway.webhooks.accepted", "gateway.webhooks.rejected", "gateway.webhooks.duplicate"]),
        new("queue-depth", "Queue depth", ["jobs.queue.depth"]),
        new("analysis-latency", "Analysis latency", ["analysis.duration"]),
        new("crm-outcomes", "CRM outcomes", ["crm.export.outcomes"]),
        new("breaker", "CRM circuit breaker (0 closed, 1 half-open, 2 open)", ["crm.circuit.state"]),
    ];
}
