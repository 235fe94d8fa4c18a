using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.Gateway.Api;

namespace VoiceAnalytics.Gateway.Tests;

/// <summary>
/// The gateway in this process, wired as Program.cs wires it, on real Kestrel at 127.0.0.1:0, against a real
/// Postgres database; called with a real HttpClient.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string Secret = Fixtures.VectorSecret;

    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string connectionString, string spoolPath, Uri address)
    {
        _app = app;
        ConnectionString = connectionString;
        SpoolPath = spoolPath;
        // The tests send their own traceparent; the in-process HttpClient instrumentation would replace it with
        // its own client span's, so this client propagates nothing.
        Client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public string ConnectionString { get; }

    public string SpoolPath { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The gateway's own protector: stored payloads and recordings are encrypted, tests open them with it.</summary>
    public VoiceAnalytics.Infrastructure.Privacy.PiiProtector Protector =>
        Services.GetRequiredService<VoiceAnalytics.Infrastructure.Privacy.PiiProtector>();

    /// <summary>Starts a gateway; by default waits until its schema is migrated, so webhooks go straight to Postgres.</summary>
    public static async Task<GatewayHost> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        TimeProvider? clock = null,
        bool waitForMigrations = true)
    {
        var spoolPath = Path.Combine(Path.GetTempPath(), $"va-gw-spool-{Guid.NewGuid():N}", "events.jsonl");
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:voicedb"] = connectionString,
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["WEBHOOK_SECRET"] = Secret,
            ["WEBHOOK_SPOOL_PATH"] = spoolPath,
            ["INGEST_REPLAY_RETRY_MS"] = "200",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayServiceExtensions).Assembly.GetName().Name,
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }
        builder.AddServiceDefaults();
        builder.AddGatewayServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapWebhookApi();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new GatewayHost(app, connectionString, spoolPath, new Uri(address));
        if (waitForMigrations)
        {
            await host.WaitUntilAsync(async () => (await host.Client.GetAsync("/health")).IsSuccessStatusCode, "gateway healthy");
        }
        return host;
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public Task<long> EventCountAsync(string conversationId) =>
        ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = $1", conversationId);

    public Task<long> JobCountAsync(string conversationId) =>
        ScalarAsync("SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND job_key = $1 AND kind = 'analyze'", conversationId);

    /// <summary>Polls <paramref name="condition"/> (the machine is shared and slow at times: generous, no timing asserted).</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60) =>
        Eventually.TrueAsync(condition, what, seconds);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        var directory = Path.GetDirectoryName(SpoolPath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
