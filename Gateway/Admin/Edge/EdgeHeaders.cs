using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Admin.Sessions;

namespace VoiceAnalytics.Gateway.Admin.Edge;

/// <summary>
/// What every request meets first: its correlation id, then the CORS policy (preflights are answered there,
/// before rate limiting, authentication and the endpoints).
/// </summary>
public static class EdgeHeaders
{
    public static IServiceCollection AddEdgeHeaders(this IServiceCollection services)
    {
        services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.Section)
            .Validate(s => s.AreOriginsValid(), CorsSettings.InvalidOrigin).ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CorsSettings>>((cors, settings) => cors.AddDefaultPolicy(policy => policy
            .WithOrigins([.. settings.Value.AllowedOrigins])
            .AllowCredentials()
            .WithMethods("GET", "POST", "PUT", "DELETE", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type", CorrelationIdMiddleware.Header, SessionCredentials.CsrfHeader)
            .WithExposedHeaders(CorrelationIdMiddleware.Header, "Retry-After")));
        services.AddTransient<IStartupFilter, EdgeStartupFilter>();
        return services;
    }

    private sealed class EdgeStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<CorrelationIdMiddleware>();
            app.UseCors();
            next(app);
        };
    }
}
