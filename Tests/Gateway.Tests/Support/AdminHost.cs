using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// The gateway with its admin API as Program.cs builds it, on real Kestrel at 127.0.0.1:0, against a fresh database
/// that also holds the analysis and CRM schemas; its analysis and CRM gRPC clients pointed at
/// <see cref="FakePipelineServices"/>; every log record at Information and above captured.
/// </summary>
public sealed class AdminHost : GatewayApplicationFactory
{
    public const string BootstrapKey = "bootstrap-0123456789abcdef0123456789abcdef";
    public const string WebhookSecret = "wsec_admin_tests_0123456789";

    /// <summary>The encryption key <c>k1</c> every test host starts with.</summary>
    public static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The Ed25519 private key <c>t1</c> that signs access tokens in every test host.</summary>
    public static readonly byte[] SigningKey1 = RandomNumberGenerator.GetBytes(32);

    private AdminHost(
        Dictionary<string, string?> settings, TimeProvider? clock, FakeLogCollector logs, FakePipelineServices pipeline, string connectionString, string folder)
        : base(settings, clock, logs)
    {
        Pipeline = pipeline;
        ConnectionString = connectionString;
        Folder = folder;
        Logs = logs;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Folder { get; }

    public string SpoolPath => Path.Combine(Folder, "spool", "events.jsonl");

    public FakeLogCollector Logs { get; }

    public FakePipelineServices Pipeline { get; }

    public WebhookSigner Signer { get; } = new(WebhookSecret);

    /// <summary>
    /// A gateway on a fresh database, or on <paramref name="connectionString"/>'s (a restart with other settings).
    /// Without <paramref name="ownerSchemas"/> the database holds only what the gateway migrates (erasure and
    /// retention tests: the owners' data is theirs to erase, behind the fake owners). With a
    /// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> the interval workers (key expiry, erasure
    /// retries, phone index, re-encryption) run once at start and again whenever the test advances the clock past
    /// their interval, as they would over that much real time; the retention worker stays off.
    /// </summary>
    public static async Task<AdminHost> StartAsync(
        TimeProvider? clock = null, IDictionary<string, string?>? settings = null, string? connectionString = null, bool ownerSchemas = true)
    {
        var fresh = connectionString is null;
        connectionString ??= await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("admin");
        var folder = Path.Combine(Path.GetTempPath(), $"va-admin-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var pipeline = await FakePipelineServices.StartAsync();
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:voicedb"] = connectionString,
            ["WEBHOOK_SECRET"] = WebhookSecret,
            ["WEBHOOK_SPOOL_PATH"] = Path.Combine(folder, "spool", "events.jsonl"),
            ["Audit:CheckpointDirectory"] = Path.Combine(folder, "audit-checkpoints"),
            ["ADMIN_BOOTSTRAP_KEY"] = BootstrapKey,
            ["Privacy:Keys:k1"] = Convert.ToBase64String(Key1),
            ["Privacy:ActiveKeyId"] = "k1",
            ["Privacy:HashKey"] = Convert.ToBase64String(HashKey),
            ["Retention:Enabled"] = "false",
            ["Auth:SigningKeys:t1"] = Convert.ToBase64String(SigningKey1),
            ["Auth:ActiveSigningKeyId"] = "t1",
            ["services:analysis:grpc:0"] = pipeline.Address.ToString(),
            ["services:crm:grpc:0"] = pipeline.Address.ToString(),
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value; // null: leave the setting out entirely (a retired key)
        }

        var host = new AdminHost(configuration, clock, new FakeLogCollector(), pipeline, connectionString, folder);
        try
        {
            await host.StartGatewayAsync();
            // The fake analysis service's truth is its table: rows erased there (by today's gateway eraser) are no longer held.
            pipeline.Holds = async id => await host.ScalarAsync(
                "SELECT count(*) FROM analysis.analyses WHERE to_regclass('analysis.analyses') IS NOT NULL AND conversation_id = $1", id) > 0;
            await host.WaitUntilAsync(async () => (await host.Client.GetAsync("/health")).IsSuccessStatusCode, "gateway healthy");
            if (fresh && ownerSchemas)
            {
                // The analysis and CRM services' schemas from their real migrations (the erasure tests look into them).
                await RealMigrations.ApplyAsync(host.DataSource, "AnalysisService", "CrmService");
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>A request with the key in <c>Authorization: Bearer</c> (null: no key at all).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: AdminJson.Options);
        }
        return await Client.SendAsync(request);
    }

    /// <summary>A new key of <paramref name="role"/>, created with the bootstrap key; returns its secret.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync(string role, int? expiresInDays = null)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/keys", BootstrapKey, new { name = $"{role} key", role, expiresInDays });
        response.EnsureSuccessStatusCode();
        var created = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        return (created["key"]!["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    /// <summary>Posts a signed webhook and expects 200.</summary>
    public async Task PostWebhookAsync(byte[] body, DateTimeOffset? at = null)
    {
        using var request = Signer.CreateRequest(body, at ?? (Services.GetRequiredService<TimeProvider>().GetUtcNow()));
        using var response = await Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task<string> ScalarTextAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        await command.ExecuteNonQueryAsync();
    }

    public Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60) =>
        Eventually.TrueAsync(condition, what, seconds);

    /// <summary>Stops the gateway (its database stays, for a restart with other settings).</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Pipeline.DisposeAsync();
        await DataSource.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
