using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace VoiceAnalytics.ServiceDefaults.Health;

/// <summary>Health checks and their endpoints, as Aspire's service defaults lay them out.</summary>
public static class HealthEndpoints
{
    /// <summary>Tag of the checks that say "the process is up" (<c>/alive</c>).</summary>
    public const string LiveTag = "live";

    /// <summary>Paths that never produce a trace: probes would drown the real traffic.</summary>
    public static readonly string[] ProbePaths = ["/health", "/alive"];

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/alive", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
