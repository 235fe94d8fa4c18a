using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoiceAnalytics.AppHost.Health;

public static class ReadinessProbeExtensions
{
    /// <summary>
    /// The resource is healthy when GET <paramref name="path"/> on its <paramref name="endpointName"/> endpoint
    /// answers 200: what <c>WithHttpHealthCheck</c> checks, seen within 100 ms of the service being ready
    /// instead of at Aspire's next check (see <see cref="ReadinessProbe"/>).
    /// </summary>
    public static IResourceBuilder<T> WithReadinessProbe<T>(this IResourceBuilder<T> builder, string path, string endpointName)
        where T : IResourceWithEndpoints
    {
        var endpoint = builder.GetEndpoint(endpointName);
        var key = $"{builder.Resource.Name}_{endpointName}_{path}_ready";
        // Each request may wait for the whole window: DCP's proxy holds a connection until the service listens.
        // The address is DCP's proxy on this machine: never through an HTTP proxy from the environment.
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key,
            _ => new ReadinessProbe(client, () => new Uri(new Uri(endpoint.Url, UriKind.Absolute), path)),
            failureStatus: HealthStatus.Unhealthy,
            tags: null));
        return builder.WithHealthCheck(key);
    }
}
