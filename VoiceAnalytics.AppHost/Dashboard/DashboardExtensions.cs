using Microsoft.Extensions.DependencyInjection.Extensions;
using VoiceAnalytics.AppHost.Otlp;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The dashboard in two calls: <see cref="AddDashboard"/> (store, receiver, token) and
/// <see cref="MapDashboard"/> (OTLP ingest, login, pages, JSON API). The orchestrator plugs in by registering
/// <see cref="IDashboardResources"/> and <see cref="IConsoleLogSource"/>; without it the dashboard shows
/// telemetry only.
/// </summary>
public static class DashboardExtensions
{
    public const string ApiPrefix = "/dashboard/api";

    public static IServiceCollection AddDashboard(this IServiceCollection services, bool printLoginLink = true)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section);
        services.AddOtlpReceiver();
        services.AddSingleton<DashboardToken>();
        services.TryAddSingleton<NoResources>();
        services.TryAddSingleton<IDashboardResources>(sp => sp.GetRequiredService<NoResources>());
        services.TryAddSingleton<IConsoleLogSource>(sp => sp.GetRequiredService<NoResources>());
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
