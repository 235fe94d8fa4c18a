using Microsoft.Extensions.DependencyInjection.Extensions;
using VoiceAnalytics.AppHost.Otlp;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The dashboard in two calls: <see cref="AddDashboard"/> (store, receiver, token) and
/// <see cref="MapDashboard"/> (OTLP ingest, login, pages, JSON API). The orchestrator plugs in by registering its
/// <see cref="IResourceService"/>; without one the dashboard shows telemetry only.
/// </summary>
public static class DashboardExtensions
{
    public const string ApiPrefix = "/dashboard/api";

    public static IServiceCollection AddDashboard(this IServiceCollection services, bool printLoginLink = true)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section);
        services.AddOtlpReceiver();
        services.AddSingleton<DashboardToken>();
        services.TryAddSingleton<IResourceService, NoResources>();
        if (printLoginLink)
        {
            services.AddHostedService<DashboardLoginPrinter>();
        }
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOtlpReceiver();
        endpoints.MapDashboardPages();
        var api = endpoints.MapGroup(ApiPrefix).RequireDashboardSession(isApi: true).WithTags("Dashboard");
        api.MapResourceApi();
        api.MapTelemetryApi();
        return endpoints;
    }
}
