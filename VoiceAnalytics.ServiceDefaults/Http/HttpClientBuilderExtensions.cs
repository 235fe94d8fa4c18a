using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VoiceAnalytics.ServiceDefaults.Http;

/// <summary>Resilience for HttpClients, named as in Microsoft.Extensions.Http.Resilience.</summary>
public static class HttpClientBuilderExtensions
{
    /// <summary>Adds <see cref="ResilienceHandler"/>, configured from the <c>HttpResilience</c> section.</summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<HttpResilienceOptions>().BindConfiguration("HttpResilience");
        return builder.AddHttpMessageHandler(services =>
        {
            var options = new HttpResilienceOptions();
            services.GetRequiredService<IConfiguration>().GetSection("HttpResilience").Bind(options);
            return new ResilienceHandler(options);
        });
    }

    /// <summary>
    /// Removes the default resilience handler from one client that owns its own policy (the CRM client has
    /// the seed's retries and breaker; the gRPC clients leave retries to the durable queues).
    /// </summary>
    public static IHttpClientBuilder RemoveResilienceHandlers(this IHttpClientBuilder builder) =>
        builder.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
        {
            for (var i = handlers.Count - 1; i >= 0; i--)
            {
                if (handlers[i] is ResilienceHandler)
                {
                    handlers.RemoveAt(i);
                }
            }
        });
}
