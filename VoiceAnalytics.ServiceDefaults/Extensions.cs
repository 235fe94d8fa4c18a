using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every VoiceAnalytics service starts with: OpenTelemetry, health checks, service discovery and
/// resilient HttpClients, laid out as Aspire's service-defaults template lays them out.
/// </summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string GrpcHealthPath = "/grpc.health.v1.Health";
    private const string MetricsEndpointPath = "/metrics";

    /// <summary>The project's own activity sources and meters all share this prefix.</summary>
    private const string ProjectTelemetry = "VoiceAnalytics.*";

    /// <summary>
    /// Kestrel's memory-pool meter, which the ASP.NET Core instrumentation subscribes to: it records a measurement on
    /// every block rented and returned (several per request), and no chart or alert of the project reads it.
    /// </summary>
    private const string KestrelMemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    /// <summary>
    /// Adds OpenTelemetry (OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), the <c>live</c> health
    /// check, service discovery and, for every HttpClient, the standard resilience handler and service discovery.
    /// Clients with a policy of their own (gRPC, Creatio) remove the handler.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Logs, metrics and traces: ASP.NET Core, HttpClient, Grpc.Net.Client and runtime instrumentation, plus every
    /// <c>VoiceAnalytics.*</c> source and meter. Metrics are also served for Prometheus to scrape (see
    /// <see cref="MapDefaultEndpoints"/>). Health probes and scrapes are kept out of traces. Trace sampling follows
    /// the standard <c>OTEL_TRACES_SAMPLER</c> / <c>OTEL_TRACES_SAMPLER_ARG</c> settings (every trace by default;
    /// <c>parentbased_traceidratio</c> with a ratio for production).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            // Log scopes carry conversation.id onto every record of a conversation's work.
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Security families: authentication results, authorization decisions and rate-limit hits.
                .AddMeter("Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.RateLimiting")
                // Calls started, failed and in flight, per gRPC method, on both sides.
                .AddMeter("Grpc.AspNetCore.Server", "Grpc.Net.Client")
                .AddMeter(ProjectTelemetry)
                // Dropped by a view, so its instruments are never enabled and Kestrel skips the recording itself.
                .AddView(instrument => instrument.Meter.Name == KestrelMemoryPoolMeter ? MetricStreamConfiguration.Drop : null)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(ProjectTelemetry)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsProbe(context.Request.Path))
                // Grpc.Net.Client's own span is the parent of the HTTP call beneath it; without this source the
                // callee's spans hang off a span that is never exported and one conversation shows as two traces.
                .AddSource("Grpc.Net.Client")
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>Adds the <c>self</c> check tagged <c>live</c>: the process answers.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check, including database and migrations) and <c>/alive</c> (live: the
    /// process answers) in every environment: the orchestrator and Kubernetes probe both, and neither reveals
    /// more than a status word. Maps <c>/metrics</c>, every meter above in Prometheus' text format, for a
    /// Prometheus server to scrape beside the OTLP export.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") });
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);
        return app;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(GrpcHealthPath)
        || path.StartsWithSegments(MetricsEndpointPath);
}
