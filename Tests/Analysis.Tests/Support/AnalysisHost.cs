using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.AnalysisService;
using VoiceAnalytics.AnalysisService.Grpc;
using VoiceAnalytics.Infrastructure.Data;
using AnalysisClient = VoiceAnalytics.Protos.Analysis.V1.Analysis.AnalysisClient;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>
/// One instance of the analysis service, wired exactly as Program.cs wires it, on free loopback ports, with
/// settings given as the flat variables a deployment would use. Several may share one database.
/// </summary>
public sealed class AnalysisHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private AnalysisHost(WebApplication app, string address)
    {
        _app = app;
        Address = new Uri(address);
        _channel = GrpcChannel.ForAddress(Address);
        Client = new AnalysisClient(_channel);
    }

    /// <summary>The h2c address both of the instance's endpoints serve gRPC on.</summary>
    public Uri Address { get; }

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
        _channel.Dispose();
    }
}
