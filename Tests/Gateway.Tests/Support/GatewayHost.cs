using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// The gateway as Program.cs builds it, on real Kestrel at 127.0.0.1:0, against a real Postgres database; called
/// with a real HttpClient.
/// </summary>
public sealed class GatewayHost : GatewayApplicationFactory
{
    public const string Secret = Fixtures.VectorSecret;

    private GatewayHost(Dictionary<string, string?> settings, TimeProvider? clock, string connectionString, string spoolPath)
        : base(settings, clock, logs: null)
    {
        ConnectionString = connectionString;
        SpoolPath = spoolPath;
    }

    public string ConnectionString { get; }

    public string SpoolPath { get; }

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
        var folder = Path.Combine(Path.GetTempPath(), $"va-gw-spool-{Guid.NewGuid():N}");
        var spoolPath = Path.Combine(folder, "events.jsonl");
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:voicedb"] = connectionString,
            ["WEBHOOK_SECRET"] = Secret,
            ["WEBHOOK_SPOOL_PATH"] = spoolPath,
            ["INGEST_REPLAY_RETRY_MS"] = "200",
            ["Audit:CheckpointDirectory"] = Path.Combine(folder, "audit-checkpoints"),
            // Webhook tests: no purge of what they have just stored.
            ["Retention:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var host = new GatewayHost(configuration, clock, connectionString, spoolPath);
        try
        {
            await host.StartGatewayAsync();
            if (waitForMigrations)
            {
                await host.WaitUntilAsync(async () => (await host.Client.GetAsync("/health")).IsSuccessStatusCode, "gateway healthy");
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var directory = Path.GetDirectoryName(SpoolPath)!;
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
