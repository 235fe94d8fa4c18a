using Microsoft.AspNetCore.Http.HttpResults;
using VoiceAnalytics.AppHost.State;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>The telemetry pages' JSON: structured logs, traces, one trace, a conversation, metrics.</summary>
public static class TelemetryApi
{
    public static RouteGroupBuilder MapTelemetryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/telemetry/counts", (TelemetryStore store) => TypedResults.Ok(store.Counts()));

        api.MapGet("/services", (TelemetryStore store, IResourceService resources) => TypedResults.Ok(
            resources.GetResources().Select(r => r.Name)
                .Concat(store.Spans().Select(s => s.ServiceName))
                .Concat(store.Logs().Select(l => l.ServiceName))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Order(StringComparer.Ordinal)
                .ToList()));

        api.MapGet("/logs", (TelemetryStore store, string? resource, string? level, string? text, string? conversation,
            string? trace, long? after, int? limit) =>
            TypedResults.Ok(store.QueryLogs(new LogQuery(Blank(resource), Blank(level), Blank(text), Blank(conversation),
                Blank(trace), after ?? 0, limit ?? 500))));

        api.MapGet("/traces", (TelemetryStore store, string? resource, string? conversation, string? text, bool? errors, int? limit) =>
            TypedResults.Ok(store.ListTraces(new TraceQuery(Blank(resource), Blank(conversation), Blank(text), errors ?? false, limit ?? 200))));

        api.MapGet("/traces/{traceId}", Results<Ok<TraceDetail>, NotFound> (TelemetryStore store, string traceId) =>
        {
            var spans = store.GetTrace(traceId);
            return spans.Count == 0 ? TypedResults.NotFound() : TypedResults.Ok(new TraceDetail(TraceQueries.Summarize(spans), spans));
        });

        api.MapGet("/conversations/{conversationId}", (TelemetryStore store, string conversationId) =>
            TypedResults.Ok(store.FindConversation(conversationId.Trim())));

        api.MapGet("/metrics", (TelemetryStore store, string? resource, string? name) =>
            TypedResults.Ok(store.ListMetrics(Blank(resource), Blank(name))));

        api.MapGet("/metrics/key", (TelemetryStore store) =>
        {
            var all = store.ListMetrics();
            return TypedResults.Ok(KeyMetrics.All.Select(k => new KeyMetricPanel(k.Id, k.Title,
                [.. all.Where(m => k.NameContains.Any(f => m.Name.Contains(f, StringComparison.OrdinalIgnoreCase)))])).ToList());
        });

        api.MapGet("/metrics/history", (TelemetryStore store, string resource, string name) =>
            TypedResults.Ok(store.MetricHistory(resource, name)));
        return api;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
