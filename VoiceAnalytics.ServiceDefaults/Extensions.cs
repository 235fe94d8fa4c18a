using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.ServiceDefaults.Health;
using VoiceAnalytics.ServiceDefaults.Http;
using VoiceAnalytics.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every VoiceAnalytics service starts with, named as Aspire names them so the services would
/// run unchanged under an Aspire AppHost.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Adds OpenTelemetry (traces, metrics, logs; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set),
    /// the <c>live</c> health check, and resilient HttpClient defaults.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddHttpClient();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check, including database and migrations) and <c>/alive</c>
    /// (live: the process answers). Both are kept out of traces.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseRequestTelemetry();
        app.MapHealthEndpoints();
        return app;
    }
}
