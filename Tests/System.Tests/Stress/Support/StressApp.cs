using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using VoiceAnalytics.AppHost.Hosting;
using VoiceAnalytics.AppHost.State;
using VoiceAnalytics.AppHost.Testing;
using VoiceAnalytics.Protos.Clients;
using VoiceAnalytics.ServiceDefaults.Grpc;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.System.Tests.Stress.Support;

/// <summary>
/// The whole app for a stress run: booted through the AppHost's testing entry point (embedded Postgres in a temp
/// folder, the three services as processes) with a fake OpenAI and a fake Creatio as real HTTP servers in this
/// process. Offers what the suites need: signed posts, kill -9 and restart of a resource, the database, gRPC clients.
/// </summary>
public sealed class StressApp : IAsyncDisposable
{
    public const string Secret = "stress-webhook-secret-0123456789";

    /// <summary>Guard for waits on a machine shared with builds: a limit, never a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly DirectoryInfo _work;
    private readonly HttpClient _grpcHttp = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    private StressApp(DistributedApplication app, FakeOpenAiServer openAi, FakeCreatio crm, DirectoryInfo work)
    {
        App = app;
        OpenAi = openAi;
        Crm = crm;
        _work = work;
        Signer = new WebhookSigner(Secret);
        GatewayUrl = app.GetEndpoint("gateway", "http");
        Gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = GatewayUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(app.GetConnectionString("voicedb")) { Timeout = 5, CommandTimeout = 60 }.ConnectionString);
        AnalysisGrpc = new AnalysisClient(new GrpcChannel(_grpcHttp, app.GetEndpoint("analysis", "grpc")));
        CrmGrpc = new CrmClient(new GrpcChannel(_grpcHttp, app.GetEndpoint("crm", "grpc")));
    }

    public DistributedApplication App { get; }

    public FakeOpenAiServer OpenAi { get; }

    public FakeCreatio Crm { get; }

    public WebhookSigner Signer { get; }

    public Uri GatewayUrl { get; }

    public HttpClient Gateway { get; }

    public NpgsqlDataSource Database { get; }

    public AnalysisClient AnalysisGrpc { get; }

    public CrmClient CrmGrpc { get; }

    /// <summary>Where the gateway's outage spool lives for this run.</summary>
    public string SpoolPath => Path.Combine(_work.FullName, "spool", "events.jsonl");

    public static async Task<StressApp> StartAsync(StressAppSettings? settings = null)
    {
        settings ??= new StressAppSettings();
        var openAi = await FakeOpenAiServer.StartAsync();
        openAi.Latency = settings.LlmLatency;
        var crm = await FakeCreatio.StartAsync();
        crm.Latency = settings.CrmLatency;
        var work = Directory.CreateTempSubdirectory("voiceanalytics-stress-");
        var lease = settings.Lease.ToString("c", CultureInfo.InvariantCulture);

        var app = await DistributedApplicationTestingBuilder.CreateAsync(o =>
        {
            o.Configuration["WEBHOOK_SECRET"] = Secret;
            o.Configuration["CRM_SERVICE_URL"] = crm.Url;
            if (settings.UseFakeOpenAi)
            {
                o.Configuration["OPENAI_API_KEY"] = "sk-stress-fake";
            }
            // One load generator on loopback is one "source": the per-source limit (1000/min) would turn a burst into 429s.
            o.WithEnvironment("gateway", "WEBHOOK_RATE_LIMIT_PER_MINUTE", "0")
                .WithEnvironment("gateway", "WEBHOOK_SPOOL_PATH", Path.Combine(work.FullName, "spool", "events.jsonl"))
                .WithEnvironment("gateway", "INGEST_REPLAY_RETRY_MS", "250")
                .WithEnvironment("analysis", "OPENAI_BASE_URL", openAi.BaseUrl)
                .WithEnvironment("analysis", "ANALYZE_MAX_CONCURRENCY", settings.AnalyzeMaxConcurrency.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("analysis", "ANALYZE_MIN_MS", "0")
                .WithEnvironment("analysis", "ANALYZE_TIMEOUT_MS", "10000")
                .WithEnvironment("analysis", "ANALYZE_THROTTLE_LEASE_MS", ((int)settings.Lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("analysis", "Jobs__analysis__LeaseDuration", lease)
                .WithEnvironment("crm", "CRM_LANDING_ID", "d66ebbf6-f588-4130-9f0b-0ba3414dafb8")
                .WithEnvironment("crm", "CRM_MD_PATH", Path.Combine(work.FullName, "crm.md"))
                .WithEnvironment("crm", "CRM_TIMEOUT_MS", "5000")
                .WithEnvironment("crm", "Crm__Breaker__OpenSeconds", settings.CrmBreakerOpenSeconds.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("crm", "Jobs__crm__LeaseDuration", lease);
            foreach (var (queue, resource) in new[] { ("analysis", "analysis"), ("crm", "crm") })
            {
                if (settings.RetryBaseDelay is { } retryBase)
                {
                    o.WithEnvironment(resource, $"Jobs__{queue}__RetryBaseDelay", retryBase.ToString("c", CultureInfo.InvariantCulture))
                        .WithEnvironment(resource, $"Jobs__{queue}__RetryMaxDelay", settings.RetryMaxDelay.ToString("c", CultureInfo.InvariantCulture));
                }
            }
            if (settings.WebhookMaxBodyBytes is { } maxBody)
            {
                o.WithEnvironment("gateway", "WEBHOOK_MAX_BODY_BYTES", maxBody.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var (resource, name, value) in settings.Environment)
            {
                o.WithEnvironment(resource, name, value);
            }
        });
        try
        {
            await app.StartAsync();
            await app.WaitForAllHealthyAsync(Patience);
        }
        catch
        {
            await app.DisposeAsync();
            await openAi.DisposeAsync();
            await crm.DisposeAsync();
            work.Delete(recursive: true);
            throw;
        }
        return new StressApp(app, openAi, crm, work);
    }

    public ResourceSnapshot Resource(string name) =>
        App.ResourceService.GetResource(name) ?? throw new ArgumentException($"No resource '{name}'.", nameof(name));

    /// <summary>SIGKILL, as the OOM killer or a power cut would; returns once the AppHost shows the resource as exited.</summary>
    public async Task KillHardAsync(string name)
    {
        var pid = Resource(name).Pid ?? throw new InvalidOperationException($"{name} is not running.");
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }
        await App.WaitForResourceStateAsync(name, KnownResourceStates.Exited, Patience);
    }

    /// <summary>The AppHost's restart command (what <c>POST /api/resources/{name}/restart</c> runs), then healthy again.</summary>
    public async Task RestartAsync(string name)
    {
        Assert.True(await App.ResourceService.RestartResourceAsync(name, CancellationToken.None), $"restart of {name} refused");
        await App.WaitForResourceHealthyAsync(name, Patience);
        ForgetConnectionsAfter(name);
    }

    public async Task StopAsync(string name) =>
        Assert.True(await App.ResourceService.StopResourceAsync(name, CancellationToken.None), $"stop of {name} refused");

    public async Task StartResourceAsync(string name)
    {
        Assert.True(await App.ResourceService.StartResourceAsync(name, CancellationToken.None), $"start of {name} refused");
        await App.WaitForResourceHealthyAsync(name, Patience);
        ForgetConnectionsAfter(name);
    }

    /// <summary>Pooled connections to a Postgres that was restarted are dead: the test's own pool starts afresh.</summary>
    private void ForgetConnectionsAfter(string name)
    {
        if (name == "postgres")
        {
            Database.Clear();
        }
    }

    /// <summary>Every service process still the one started (or restarted) by the AppHost, running and answering /health with 200.</summary>
    public async Task AssertAllAliveAndHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var name in new[] { "gateway", "analysis", "crm" })
        {
            var resource = Resource(name);
            Assert.True(resource.State == KnownResourceStates.Running && resource.Pid is > 0,
                $"{name} is {resource.State} (exit code {resource.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"})\n{Tail(name)}");
            using var health = await http.GetAsync(new Uri(App.GetEndpoint(name, "http"), "/health"));
            Assert.True(health.StatusCode == HttpStatusCode.OK, $"{name} /health answered {(int)health.StatusCode}\n{Tail(name)}");
        }
    }

    /// <summary>Waits until neither queue has a job queued or running (the pipeline has settled), within the guard.</summary>
    public async Task WaitForQueuesIdleAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var command = Database.CreateCommand("""
                SELECT (SELECT count(*) FROM analysis.jobs WHERE state IN ('queued', 'running'))
                     + (SELECT count(*) FROM crm.jobs WHERE state IN ('queued', 'running'))
                """);
            var open = (long)(await command.ExecuteScalarAsync())!;
            Assert.True(open == 0 || DateTime.UtcNow < deadline, $"{open} jobs still open\n{Tail("analysis")}\n{Tail("crm")}");
            if (open == 0)
            {
                return;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>The last console lines of a resource, for failure messages.</summary>
    public string Tail(string name, int lines = 30) =>
        string.Join('\n', App.ResourceService.GetLogs(name)?.GetLines().TakeLast(lines).Select(l => $"  [{name}] {l.Text}") ?? []);

    /// <summary>Console lines of a resource that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> LogLinesContaining(string name, string text) =>
        [.. App.ResourceService.GetLogs(name)?.GetLines().Select(l => l.Text).Where(t => t.Contains(text, StringComparison.Ordinal)) ?? []];

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        _grpcHttp.Dispose();
        await Database.DisposeAsync();
        await App.DisposeAsync();
        await OpenAi.DisposeAsync();
        await Crm.DisposeAsync();
        try
        {
            _work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that was just stopped; the temp folder is cleaned by the OS eventually.
        }
    }
}
