using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.TestSupport.Hosting;

/// <summary>
/// gRPC service implementations served on a real loopback Kestrel endpoint (h2c), for a fake peer that the service
/// under test reaches over a socket, as it reaches the real one. The instances given answer every call, so what a
/// fake records is the test's to read. Port 0 takes a free port; giving the <see cref="Port"/> of a stopped server
/// brings it back where its clients look, as a peer that was down for a while.
/// </summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The address the endpoint listens on, such as http://127.0.0.1:40123.</summary>
    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>Serves <paramref name="service"/> (an implementation of a generated service base class).</summary>
    public static Task<GrpcTestServer> StartAsync<TService>(TService service, int port = 0) where TService : class =>
        StartAsync(port, services => services.AddSingleton(service), endpoints => endpoints.MapGrpcService<TService>());

    /// <summary>Serves two services on one endpoint, as one process that hosts both.</summary>
    public static Task<GrpcTestServer> StartAsync<TFirst, TSecond>(TFirst first, TSecond second, int port = 0)
        where TFirst : class where TSecond : class =>
        StartAsync(
            port,
            services => services.AddSingleton(first).AddSingleton(second),
            endpoints =>
            {
                endpoints.MapGrpcService<TFirst>();
                endpoints.MapGrpcService<TSecond>();
            });

    /// <summary>Closes the endpoint: calls fail from now on as they do while a real service is down.</summary>
    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task<GrpcTestServer> StartAsync(int port, Action<IServiceCollection> addServices, Action<IEndpointRouteBuilder> map)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var builder = WebApplication.CreateSlimBuilder();
        // Not the appsettings.json of a service copied next to the tests: its fixed Kestrel ports are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        addServices(builder.Services);
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GrpcTestServer(app, new Uri(address));
    }
}
