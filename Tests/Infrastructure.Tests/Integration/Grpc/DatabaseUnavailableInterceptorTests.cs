using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.Infrastructure.Tests.Echo;
using EchoGrpc = VoiceAnalytics.Infrastructure.Tests.Echo.Echo;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Grpc;

/// <summary>A database that cannot be reached is an outage the caller may retry, not an unknown error.</summary>
public sealed class DatabaseUnavailableInterceptorTests
{
    [Fact]
    public async Task AnUnreachableDatabaseIsUnavailableAndOtherFailuresAreNot()
    {
        await using var server = await StartAsync();
        using var channel = GrpcChannel.ForAddress(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var client = new EchoGrpc.EchoClient(channel);

        var unavailable = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SayAsync(new SayRequest { FailWith = "database" }, deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        // The caller learns what happened, not where the database is.
        Assert.DoesNotContain("127.0.0.1", unavailable.Status.Detail, StringComparison.Ordinal);

        var bug = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SayAsync(new SayRequest { FailWith = "boom" }, deadline: DateTime.UtcNow.AddSeconds(30)));
        Assert.Equal(StatusCode.Unknown, bug.StatusCode);
    }

    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<DatabaseUnavailableInterceptor>());
        var app = builder.Build();
        app.MapGrpcService<DatabaseBackedEcho>();
        await app.StartAsync();
        return app;
    }

    private sealed class DatabaseBackedEcho : EchoGrpc.EchoBase
    {
        public override async Task<SayReply> Say(SayRequest request, ServerCallContext context)
        {
            if (request.FailWith == "database")
            {
                // A real connection attempt to a port nobody listens on.
                await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()};Username=x;Timeout=3");
                await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
            }
            throw new InvalidOperationException("A bug, not an outage.");
        }

        private static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
