using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.TestSupport.Hosting;

/// <summary>
/// A service started from its own Program.cs, in the Testing environment, against a throwaway database, with
/// settings given as a deployment gives them (flat variables or sections) and its logs collected. Requests go
/// through the in-memory TestServer unless <see cref="WebApplicationFactory{TEntryPoint}.UseKestrel()"/> is
/// called first, for a peer that needs a real socket. Several instances may share one database.
/// </summary>
public abstract class ServiceFactory<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private static readonly TimeSpan MigrationLimit = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, string?> _settings;
    private IHost? _host;
    private GrpcChannel? _channel;

    protected ServiceFactory(string connectionString, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        _settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{VoiceDatabaseExtensions.ConnectionName}"] = connectionString,
            // Never the fixed ports of the service's appsettings.json: with Kestrel, both endpoints take a free
            // port and speak h2c, so any bound address serves gRPC.
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http2",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>Every log entry of Information and above the service wrote.</summary>
    public FakeLogCollector Logs { get; } = new();

    public override IServiceProvider Services
    {
        get
        {
            StartServer();
            return _host!.Services;
        }
    }

    /// <summary>A gRPC channel to the service, over TestServer or over the socket Kestrel listens on.</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>The address Kestrel listens on (only when started with Kestrel).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? throw new InvalidOperationException("Only a service started with UseKestrel() listens on an address."));

    /// <summary>Starts the service and waits until its schema is migrated, as its readiness check does.</summary>
    public async Task StartAsync()
    {
        // The host starts synchronously; off the test's thread so that parallel tests keep theirs.
        await Task.Run(StartServer);
        await Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None).WaitAsync(MigrationLimit);
        _channel = Services.GetRequiredService<IServer>() is TestServer server
            ? GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() })
            : GrpcChannel.ForAddress(Address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // Settings reach Program.cs as command-line arguments, so even what it reads before Build() sees them.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value ?? "");
        }
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddProvider(new FakeLoggerProvider(Logs));
        });
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    /// <summary>Stops the service the way a deployment would (jobs in hand are given back).</summary>
    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
