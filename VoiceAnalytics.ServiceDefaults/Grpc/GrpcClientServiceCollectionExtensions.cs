using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.ServiceDefaults.Discovery;
using VoiceAnalytics.ServiceDefaults.Http;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>Registers typed gRPC clients whose address comes from service discovery.</summary>
public static class GrpcClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> (a class taking a <see cref="GrpcChannel"/>) for the service named
    /// <paramref name="serviceName"/>, addressed by <c>services:{serviceName}:{endpoint}:0</c>. Its HttpClient
    /// speaks h2c and has no retry handler: callers own their retry policy (the queues retry durably).
    /// </summary>
    public static IServiceCollection AddGrpcClient<TClient>(this IServiceCollection services, string serviceName, string endpoint = "grpc")
        where TClient : class
    {
        var httpClientName = "grpc:" + serviceName;
        services.AddHttpClient(httpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // One HTTP/2 connection caps at the server's stream limit; allow more under load.
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveResilienceHandlers();

        services.AddSingleton(sp =>
        {
            var address = ServiceAddresses.Resolve(sp.GetRequiredService<IConfiguration>(), serviceName, endpoint);
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName);
            var channel = new GrpcChannel(http, address);
            return ActivatorUtilities.CreateInstance<TClient>(sp, channel);
        });
        return services;
    }
}
