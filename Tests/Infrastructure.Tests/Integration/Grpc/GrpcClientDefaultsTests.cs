using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Infrastructure.Tests.Echo;
using EchoGrpc = VoiceAnalytics.Infrastructure.Tests.Echo.Echo;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Grpc;

/// <summary>
/// The gRPC client a service gets from <c>AddGrpcServiceClient</c>: found by service discovery, never without a
/// deadline, retried by gRPC's own policy only where the call is safe to repeat and only on Unavailable.
/// The server is grpc-js, which counts the attempts it sees.
/// </summary>
public sealed class GrpcClientDefaultsTests
{
    [Fact]
    public async Task AClientFindsItsPeerByServiceNameAndAlwaysSendsADeadline()
    {
        using var node = await GrpcJs.StartServerAsync();
        using var host = BuildCaller(node.Address, nameof(EchoGrpc.EchoClient.Say));

        var reply = await host.Services.GetRequiredService<EchoGrpc.EchoClient>().SayAsync(new SayRequest { Text = "no deadline given" });

        Assert.Equal("no deadline given", reply.Text);
        Assert.True(reply.HadDeadline);
    }

    [Fact]
    public async Task ASafeMethodIsRetriedOnUnavailable()
    {
        using var node = await GrpcJs.StartServerAsync();
        using var host = BuildCaller(node.Address, nameof(EchoGrpc.EchoClient.Say));
        var client = host.Services.GetRequiredService<EchoGrpc.EchoClient>();

        var reply = await client.SayAsync(new SayRequest { Text = "retried", FailWith = "unavailable_once" });
        Assert.Equal("attempt 2", reply.Text);

        // Other failures are answers, not outages: they reach the caller at once.
        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await client.SayAsync(new SayRequest { FailWith = "not_found" }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
    }

    [Fact]
    public async Task AMethodNotDeclaredSafeIsSentOnce()
    {
        using var node = await GrpcJs.StartServerAsync();
        using var host = BuildCaller(node.Address);
        var client = host.Services.GetRequiredService<EchoGrpc.EchoClient>();

        var unavailable = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SayAsync(new SayRequest { Text = "once", FailWith = "unavailable_once" }));
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);

        // The server saw exactly one attempt: neither gRPC nor an HTTP resilience handler repeated it.
        Assert.Equal("attempt 2", (await client.SayAsync(new SayRequest { Text = "once", FailWith = "unavailable_once" })).Text);
    }

    [Fact]
    public void GrpcClientsHaveNoHttpResilienceHandlerWhilePlainHttpClientsDo()
    {
        using var host = BuildCaller(new Uri("http://127.0.0.1:1"));
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        // The standard handler's 10 s attempt timeout and retries of every POST would turn a gRPC deadline into
        // Internal and repeat calls that are not safe to repeat.
        Assert.DoesNotContain(HandlerChain(handlers.CreateHandler(nameof(EchoGrpc.EchoClient))), h => h is ResilienceHandler);
        Assert.Contains(HandlerChain(handlers.CreateHandler("plain")), h => h is ResilienceHandler);
    }

    [Fact]
    public void ARetryableMethodMustExistInTheContract()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddGrpcServiceClient<EchoGrpc.EchoClient>("echo", EchoGrpc.Descriptor, "Shout"));
    }

    private static IHost BuildCaller(Uri echoAddress, params string[] retryable)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // The address a service gets from the AppHost: services__echo__grpc__0.
        builder.Configuration["services:echo:grpc:0"] = echoAddress.ToString();
        builder.AddServiceDefaults();
        builder.Services.AddGrpcServiceClient<EchoGrpc.EchoClient>("echo", EchoGrpc.Descriptor, retryable);
        return builder.Build();
    }

    private static IEnumerable<HttpMessageHandler> HandlerChain(HttpMessageHandler handler)
    {
        for (HttpMessageHandler? current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            yield return current;
        }
    }
}
