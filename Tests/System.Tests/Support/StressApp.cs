using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using VoiceAnalytics.TestSupport;
using VoiceAnalytics.TestSupport.Fakes;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// The whole app for a test class: the real AppHost through Aspire.Hosting.Testing (DCP, the machine's Postgres
/// with its cluster in this run's own data folder, the three services as processes, random ports) with a fake
/// OpenAI and a fake Creatio as real HTTP servers in this process. Offers what the suites need: signed posts,
/// kill -9 and the dashboard's start/stop/restart commands, the database, gRPC clients, console logs.
/// </summary>
public sealed class StressApp : IAsyncDisposable
{
    public const string Secret = "stress-webhook-secret-0123456789";

    /// <summary>Guard for waits on a machine shared with builds: a limit, never a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>The Aspire dashboard's resource, in the model when <see cref="StressAppSettings.Dashboard"/> is set.</summary>
    public const string DashboardResource = "aspire-dashboard";

    private readonly HttpClient _grpcHttp = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    private StressApp(DistributedApplication app, FakeOpenAiServer openAi, FakeCreatio crm, DirectoryInfo work, ConsoleLogs logs, string connectionString)
    {
        App = app;
        OpenAi = openAi;
        Crm = crm;
        DataDirectory = work.FullName;
        Logs = logs;
        Signer = new WebhookSigner(Secret);
        GatewayUrl = app.GetEndpoint("gateway", "http");
        Gateway = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = GatewayUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, CommandTimeout = 60 }.ConnectionString);
        AnalysisGrpc = GrpcClients.Analysis(_grpcHttp, app.GetEndpoint("analysis", "grpc"));
        CrmGrpc = GrpcClients.Crm(_grpcHttp, app.GetEndpoint("crm", "grpc"));
    }

    public DistributedApplication App { get; }

    public FakeOpenAiServer OpenAi { get; }

    public FakeCreatio Crm { get; }

    /// <summary>This run's AppHost data folder (Postgres cluster, spool, Markdown mirror); deleted at the end.</summary>
    public string DataDirectory { get; }

    public ConsoleLogs Logs { get; }

    public WebhookSigner Signer { get; }

    public Uri GatewayUrl { get; }

    public HttpClient Gateway { get; }

    public NpgsqlDataSource Database { get; }

    public AnalysisGrpcClient AnalysisGrpc { get; }

    public CrmGrpcClient CrmGrpc { get; }

    /// <summary>Where the gateway's outage spool lives for this run.</summary>
    public string SpoolPath => Path.Combine(DataDirectory, "spool", "events.jsonl");

    public static async Task<StressApp> StartAsync(StressAppSettings? settings = null)
    {
        settings ??= new StressAppSettings();
        // One limit for the whole start, from here to every resource healthy.
        var started = Stopwatch.StartNew();
        var openAi = await FakeOpenAiServer.StartAsync();
        openAi.Latency = settings.LlmLatency;
        var crm = await FakeCreatio.StartAsync();
        crm.Latency = settings.CrmLatency;
        var work = Directory.CreateTempSubdirectory("voiceanalytics-system-");
        var lease = settings.Lease.ToString("c", CultureInfo.InvariantCulture);
        var hostLog = new AppHostLog();
        DistributedApplication? app = null;
        ConsoleLogs? logs = null;
        try
        {
            using var cts = new CancellationTokenSource(Patience);
            // The AppHost's Main runs inside CreateAsync: its configuration arrives as arguments.
            List<string> args = [$"AppHost:DataDirectory={work.FullName}", $"WEBHOOK_SECRET={Secret}", $"CRM_SERVICE_URL={crm.Url}"];
            if (settings.UseFakeOpenAi)
            {
                args.Add("OPENAI_API_KEY=sk-stress-fake");
                args.Add($"OPENAI_BASE_URL={openAi.BaseUrl}");
            }
            args.AddRange(settings.AppHostArgs);
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
                [.. args], (options, _) => options.DisableDashboard = !settings.Dashboard, cts.Token);
            // Again after Main: the testing builder sets its own values for some keys (the dashboard's URLs) which
            // the AppHost reads when it starts, not when Main builds the model.
            foreach (var arg in settings.AppHostArgs)
            {
                builder.Configuration[arg[..arg.IndexOf('=', StringComparison.Ordinal)]] = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..];
            }
            builder.Services.AddLogging(logging => logging.AddProvider(hostLog));
            void Env(string resource, string name, string value) =>
                builder.CreateResourceBuilder<ProjectResource>(resource).WithEnvironment(name, value);

            // One load generator on loopback is one "source": the per-source limit (1000/min) would turn a burst into 429s.
            Env("gateway", "WEBHOOK_RATE_LIMIT_PER_MINUTE", "0");
            Env("gateway", "WEBHOOK_SPOOL_PATH", Path.Combine(work.FullName, "spool", "events.jsonl"));
            Env("gateway", "INGEST_REPLAY_RETRY_MS", "250");
            Env("analysis", "ANALYZE_MAX_CONCURRENCY", settings.AnalyzeMaxConcurrency.ToString(CultureInfo.InvariantCulture));
            Env("analysis", "ANALYZE_MIN_MS", "0");
            Env("analysis", "ANALYZE_TIMEOUT_MS", "10000");
            Env("analysis", "ANALYZE_THROTTLE_LEASE_MS", ((int)settings.Lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            Env("analysis", "Jobs__analysis__LeaseDuration", lease);
            Env("crm", "CRM_LANDING_ID", "d66ebbf6-f588-4130-9f0b-0ba3414dafb8");
            Env("crm", "CRM_TIMEOUT_MS", "5000");
            Env("crm", "Crm__Breaker__BreakDuration", TimeSpan.FromSeconds(settings.CrmBreakerOpenSeconds).ToString("c", CultureInfo.InvariantCulture));
            Env("crm", "Jobs__crm__LeaseDuration", lease);
            foreach (var queue in new[] { "analysis", "crm" })
            {
                if (settings.RetryBaseDelay is { } retryBase)
                {
                    Env(queue, $"Jobs__{queue}__RetryBaseDelay", retryBase.ToString("c", CultureInfo.InvariantCulture));
                    Env(queue, $"Jobs__{queue}__RetryMaxDelay", settings.RetryMaxDelay.ToString("c", CultureInfo.InvariantCulture));
                }
            }
            if (settings.WebhookMaxBodyBytes is { } maxBody)
            {
                Env("gateway", "WEBHOOK_MAX_BODY_BYTES", maxBody.ToString(CultureInfo.InvariantCulture));
            }
            foreach (var (resource, name, value) in settings.Environment)
            {
                Env(resource, name, value);
            }
            if (settings.Dashboard)
            {
                KeepDashboardDataIn(builder, Path.Combine(work.FullName, "dashboard"));
            }
            settings.Configure?.Invoke(builder);

            app = await builder.BuildAsync(cts.Token);
            string[] watched = settings.Dashboard ? [.. ResourceStates.All, DashboardResource] : ResourceStates.All;
            logs = new ConsoleLogs(app, watched);
            await using (var start = new StartupWatch(app, logs, hostLog, Patience - started.Elapsed))
            {
                await start.RunAsync("Aspire's StartAsync: DCP, then each resource created once what it waits for is ready (the services wait for voicedb healthy)",
                    app.StartAsync);
                await start.RunAsync($"every resource healthy: {string.Join(", ", watched)}",
                    ct => app.WaitForAllHealthyAsync(watched, ct));
            }
            var connectionString = await app.GetConnectionStringAsync("voicedb", cts.Token)
                ?? throw new InvalidOperationException("voicedb has no connection string.");
            return new StressApp(app, openAi, crm, work, logs, connectionString);
        }
        catch
        {
            if (logs is not null)
            {
                await logs.DisposeAsync();
            }
            if (app is not null)
            {
                await DisposeWithinAsync(app, TimeSpan.FromSeconds(30));
            }
            await openAi.DisposeAsync();
            await crm.DisposeAsync();
            TryDelete(work);
            throw;
        }
    }

    public ResourceState Resource(string name) => App.Current(name);

    /// <summary>SIGKILL to the service's own process, as the OOM killer or a power cut would; returns once the AppHost shows the resource as exited.</summary>
    public async Task KillHardAsync(string name)
    {
        var pid = Resource(name).Pid ?? throw new InvalidOperationException($"{name} is not running.");
        Processes.KillHard(pid);
        await App.WaitForExitAsync(name, Patience);
    }

    /// <summary>The dashboard's restart (or start, for a resource that has exited), then healthy again.</summary>
    public async Task RestartAsync(string name)
    {
        var state = Resource(name).State;
        await App.CommandAsync(name, state == KnownResourceStates.Running ? KnownResourceCommands.RestartCommand : KnownResourceCommands.StartCommand);
        await App.WaitForResourceHealthyAsync(name, Patience);
        ForgetConnectionsAfter(name);
    }

    public async Task StopAsync(string name)
    {
        await App.CommandAsync(name, KnownResourceCommands.StopCommand);
        await App.WaitForExitAsync(name, Patience);
    }

    public async Task StartResourceAsync(string name)
    {
        await App.CommandAsync(name, KnownResourceCommands.StartCommand);
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
                SELECT (SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis' AND state IN ('queued', 'running'))
                     + (SELECT count(*) FROM jobs.jobs WHERE queue = 'crm' AND state IN ('queued', 'running'))
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
    public string Tail(string name, int lines = 30) => Logs.Tail(name, lines);

    public async ValueTask DisposeAsync()
    {
        Gateway.Dispose();
        _grpcHttp.Dispose();
        await Database.DisposeAsync();
        await App.StopAsync();
        await Logs.DisposeAsync();
        await App.DisposeAsync();
        await OpenAi.DisposeAsync();
        await Crm.DisposeAsync();
        TryDelete(new DirectoryInfo(DataDirectory));
    }

    /// <summary>
    /// The dashboard keeps every run's telemetry in a database under the user's ~/.aspire/dashboard, shared with
    /// every other dashboard on the machine (a developer's AppHost, a benchmark's: runs of a gigabyte), which lock
    /// and prune runs there. This run's dashboard keeps its own in the run's data folder, deleted with it.
    /// The dashboard resource exists only once the app starts, so its environment is set as it is about to start.
    /// </summary>
    private static void KeepDashboardDataIn(IDistributedApplicationTestingBuilder builder, string folder) =>
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>((e, _) =>
        {
            if (e.Resource.Name == DashboardResource)
            {
                e.Resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                {
                    context.EnvironmentVariables["Dashboard__Data__Directory"] = folder;
                    return Task.CompletedTask;
                }));
            }
            return Task.CompletedTask;
        });

    /// <summary>Stops and disposes an app whose start failed; one that hung may not stop either, and is left to DCP,
    /// which stops its resources when this test process ends.</summary>
    private static async Task DisposeWithinAsync(DistributedApplication app, TimeSpan limit)
    {
        try
        {
            await app.DisposeAsync().AsTask().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            // Reported by the start's own exception; the resources go with the test process.
        }
    }

    private static void TryDelete(DirectoryInfo work)
    {
        try
        {
            work.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that was just stopped; the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
