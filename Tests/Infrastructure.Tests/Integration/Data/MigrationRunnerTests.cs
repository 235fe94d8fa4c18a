using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Data;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task MigrationsApplyInOrderOnceEvenWhenReplicasStartTogether()
    {
        var connectionString = await (await ThrowawayPostgres.Shared).CreateDatabaseAsync();

        // Three replicas racing: the advisory lock lets one apply, the others find the work done.
        var apps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartServiceAsync(connectionString)));
        foreach (var app in apps)
        {
            await app.Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(2L, await Scalar(connection, "SELECT count(*) FROM public.schema_migrations WHERE schema_name = 'widgets'"));
        Assert.Equal("blue", await Scalar(connection, "SELECT colour FROM widgets.widgets WHERE id = 1"));
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM widgets.widgets"));

        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task HealthIsUnhealthyUntilTheDatabaseIsUpAndMigrated()
    {
        var postgres = await ThrowawayPostgres.StartAsync();
        await using var _ = postgres;
        var connectionString = await postgres.CreateDatabaseAsync();
        await postgres.StopServerAsync();

        await using var app = await StartServiceAsync(connectionString);
        using var health = H2cClient(app);
        using var channel = GrpcChannel.ForAddress(Address(app));
        var grpcHealth = new Health.HealthClient(channel);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await health.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/alive")).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await grpcHealth.CheckAsync(new HealthCheckRequest())).Status);

        await postgres.StartServerAsync();
        await app.Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health")).StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await grpcHealth.CheckAsync(new HealthCheckRequest())).Status);
    }

    [Fact]
    public async Task TheSeedsDatabaseUrlStillConfiguresTheService()
    {
        var connection = new NpgsqlConnectionStringBuilder(await (await ThrowawayPostgres.Shared).CreateDatabaseAsync());

        await using var app = await StartServiceAsync(("DATABASE_URL", $"postgresql://{connection.Username}@{connection.Host}:{connection.Port}/{connection.Database}"));
        await app.Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        using var health = H2cClient(app);
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health")).StatusCode);
        Assert.Equal(connection.Database, app.Services.GetRequiredService<NpgsqlDataSource>().CreateConnection().Database);
    }

    [Fact]
    public void DatabaseUrlBecomesAConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUrl.ToConnectionString("postgresql://va%40ops:p%3Ass@db.local:6543/voice"));
        Assert.Equal(("db.local", 6543, "voice", "va@ops", "p:ss"),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Throws<FormatException>(() => PostgresUrl.ToConnectionString("mysql://x@y/z"));
    }

    private static Task<WebApplication> StartServiceAsync(string connectionString) =>
        StartServiceAsync(("ConnectionStrings:voicedb", connectionString));

    private static async Task<WebApplication> StartServiceAsync(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // One h2c endpoint serves both /health and grpc.health.v1, as the services' "grpc" endpoint would.
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks();
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }
        builder.AddServiceDefaults();
        builder.AddVoiceDatabase("widgets", typeof(MigrationRunnerTests).Assembly);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcHealthChecksService();
        await app.StartAsync();
        return app;
    }

    private static HttpClient H2cClient(WebApplication app) => new()
    {
        BaseAddress = Address(app),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
