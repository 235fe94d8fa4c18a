using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.AnalysisService;
using VoiceAnalytics.AnalysisService.Grpc;
using VoiceAnalytics.Protos.Clients;
using VoiceAnalytics.ServiceDefaults.Data;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>
/// One instance of the analysis service, wired exactly as Program.cs wires it, on free loopback ports, with
/// settings given as the flat variables a deployment would use. Several may share one database.
/// </summary>
public sealed class AnalysisHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private AnalysisHost(WebApplication app, string address)
    {
        _app = app;
        _http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        Client = new AnalysisClient(new GrpcChannel(_http, new Uri(address)));
    }

    public AnalysisClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AnalysisHost> StartAsync(AnalysisDatabase database, IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{VoiceDatabaseExtensions.ConnectionName}"] = database.ConnectionString,
            // Both endpoints on free ports and h2c, so any bound address serves gRPC.
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:http:Protocols"] = "Http2",
            ["Kestrel:Endpoints:grpc:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:grpc:Protocols"] = "Http2",
            ["ANALYZE_MIN_MS"] = "0",
            ["Jobs:analysis:PollInterval"] = "00:00:01",
            ["Jobs:analysis:RetryBaseDelay"] = "00:00:00.100",
            ["Jobs:analysis:RetryMaxDelay"] = "00:00:00.500",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);

        builder.AddServiceDefaults();
        builder.AddAnalysisServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapAnalysisApi();
        await app.StartAsync();
        await app.Services.GetRequiredService<MigrationState>().WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AnalysisHost(app, address);
    }

    /// <summary>Stops the instance the way a deployment would (jobs in hand are given back).</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
    }
}
