using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using VoiceAnalytics.CrmService;
using VoiceAnalytics.CrmService.Grpc;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using CrmClient = VoiceAnalytics.Protos.Crm.V1.Crm.CrmClient;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// The CRM service as Program.cs builds it (AddServiceDefaults, AddCrmServices, MapDefaultEndpoints,
/// MapCrmApi), on real Kestrel with free loopback ports, against a test database, a fake analysis service and a fake CRM. Quick
/// backoffs so that retries happen within a test.
/// </summary>
public sealed class CrmHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CrmHost(WebApplication app, Uri grpcAddress, FakeLogCollector logs)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        Logs = logs;
        Channel = GrpcChannel.ForAddress(grpcAddress);
        Client = new CrmClient(Channel);
    }

    public IServiceProvider Services => _app.Services;

    public Uri GrpcAddress { get; }

    public GrpcChannel Channel { get; }

    public CrmClient Client { get; }

    public FakeLogCollector Logs { get; }

    public JobQueue Queue => Services.GetRequiredKeyedService<JobQueue>(PipelineJobs.Crm.Queue);

    public static async Task<CrmHost> StartAsync(CrmDatabase database, IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = typeof(CrmServiceExtensions).Assembly.GetName().Name,
        });
        var defaults = new Dictionary<string, string?>
        {
            ["ConnectionStrings:voicedb"] = database.ConnectionString,
            ["services:analysis:grpc:0"] = database.Analysis.Address,
            ["Crm:AnalysisUnavailableDelay"] = "00:00:00.100",
            ["Kestrel:Endpoints:http:Url"] = $"http://127.0.0.1:{FreePort()}",
            ["Kestrel:Endpoints:http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:grpc:Url"] = $"http://127.0.0.1:{FreePort()}",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["CRM_LANDING_ID"] = CrmTestOptions.LandingId,
            ["CRM_MD_ENABLED"] = "false",
            ["CRM_TIMEOUT_MS"] = "2000",
            ["Crm:QuickRetryDelay"] = "00:00:00.010",
            ["Jobs:crm:Concurrency"] = "4",
            ["Jobs:crm:MaxAttempts"] = "50",
            ["Jobs:crm:RetryBaseDelay"] = "00:00:00.050",
            ["Jobs:crm:RetryMaxDelay"] = "00:00:00.300",
            ["Jobs:crm:PollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            defaults[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(defaults);
        var logs = new FakeLogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));

        builder.AddServiceDefaults();
        builder.AddCrmServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapCrmApi();
        await app.StartAsync();

        await app.Services.GetRequiredService<MigrationState>().WaitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return new CrmHost(app, new Uri(defaults["Kestrel:Endpoints:grpc:Url"]!), logs);
    }

    /// <summary>Queues an export as the analysis service does (kind export, key = conversation id).</summary>
    public Task<EnqueueResult> EnqueueExportAsync(string conversationId, long analysisId, string? traceParent = null) =>
        Queue.EnqueueAsync(PipelineJobs.Crm.Export, conversationId, new ExportJobPayload(analysisId).ToJson(), traceParent, deduplicate: true);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
