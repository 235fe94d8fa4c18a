namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>
/// Maps the OTLP/HTTP ingest paths the standard exporters post to (<c>{endpoint}/v1/traces</c> and so on).
/// They take no dashboard token: the services on this machine must be able to export without one, and the
/// dashboard port listens on 127.0.0.1 only.
/// </summary>
public static class OtlpEndpoints
{
    public static RouteGroupBuilder MapOtlpReceiver(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").WithTags("OTLP").DisableAntiforgery();
        group.MapPost("/traces", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveTracesAsync(request, ct));
        group.MapPost("/logs", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveLogsAsync(request, ct));
        group.MapPost("/metrics", (HttpRequest request, OtlpReceiver receiver, CancellationToken ct) =>
            receiver.ReceiveMetricsAsync(request, ct));
        return group;
    }
}
