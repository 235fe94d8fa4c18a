using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// The gateway's own Program.cs in this process, on real Kestrel at 127.0.0.1 on a free port: the tests speak
/// HTTP over a socket from a real source address, which the allowlist, the rate limits and the forwarded-headers
/// rules look at. Settings are host settings, so Program.cs already sees them while it registers services (the
/// flat names, the gRPC addresses). Only the clock and the log providers are swapped.
/// </summary>
public abstract class GatewayApplicationFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly FakeLogCollector? _logs;
    private HttpClient? _client;

    protected GatewayApplicationFactory(Dictionary<string, string?> settings, TimeProvider? clock, FakeLogCollector? logs)
    {
        _settings = settings;
        _clock = clock;
        _logs = logs;
        UseKestrel();
    }

    /// <summary>A client of the gateway's socket, created once the gateway has started.</summary>
    public HttpClient Client => _client ?? throw new InvalidOperationException("The gateway has not started.");

    /// <summary>Builds and starts the gateway (options validated on start fail here), then opens <see cref="Client"/>.</summary>
    protected async Task StartGatewayAsync()
    {
        // Off the test's synchronization context: the factory starts the host synchronously.
        await Task.Run(StartServer);
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The tests send their own traceparent; the in-process HttpClient instrumentation would replace it with
        // its own client span's, so this client propagates nothing.
        _client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Kestrel on a free loopback port, not the endpoint in the gateway's appsettings.json.
        builder.UseSetting("Kestrel:Endpoints:http:Url", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            if (value is not null)
            {
                builder.UseSetting(key, value);
            }
        }
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            if (_logs is not null)
            {
                logging.AddProvider(new FakeLoggerProvider(_logs));
            }
        });
        if (_clock is not null)
        {
            builder.ConfigureServices(services => services.RemoveAll<TimeProvider>().AddSingleton(_clock));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
