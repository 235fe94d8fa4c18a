using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Microsoft.Extensions.Hosting;

/// <summary>How every VoiceAnalytics service calls another one over gRPC.</summary>
public static class GrpcClientExtensions
{
    /// <summary>Deadline of a call whose caller set none: no call may wait forever on a hung peer.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the generated client <typeparamref name="TClient"/> for the <c>grpc</c> endpoint of the service
    /// <paramref name="serviceName"/>, resolved by service discovery (<c>services__{name}__grpc__0</c>). Calls
    /// without a deadline get <see cref="DefaultDeadline"/>. Only <paramref name="retryableMethods"/> (calls that are
    /// safe to repeat) are retried, and only on <c>Unavailable</c>, by gRPC's own retry policy: the standard HTTP
    /// resilience handler is removed, because its timeouts and retries of every POST do not fit gRPC.
    /// </summary>
    public static IHttpClientBuilder AddGrpcServiceClient<TClient>(this IServiceCollection services, string serviceName,
        ProtoServiceDescriptor service, params string[] retryableMethods)
        where TClient : ClientBase
    {
        var retry = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 3,
                InitialBackoff = TimeSpan.FromMilliseconds(100),
                MaxBackoff = TimeSpan.FromSeconds(1),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var method in retryableMethods)
        {
            _ = service.FindMethodByName(method)
                ?? throw new ArgumentException($"{service.FullName} has no method '{method}'.", nameof(retryableMethods));
            retry.Names.Add(new MethodName { Service = service.FullName, Method = method });
        }

        services.AddSingleton<DefaultDeadlineInterceptor>();
        var client = services.AddGrpcClient<TClient>(o => o.Address = new Uri($"http://_grpc.{serviceName}"))
            .ConfigureChannel(channel => channel.ServiceConfig = retry.Names.Count == 0 ? null : new ServiceConfig { MethodConfigs = { retry } })
            .AddInterceptor<DefaultDeadlineInterceptor>();
#pragma warning disable EXTEXP0001 // Experimental API; it is the only way to take the defaults' handler off one client.
        return client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
