using Grpc.Core;
using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Analysis.Tests.Integration;

/// <summary>An independent gRPC implementation (@grpc/grpc-js) calls the real AnalysisService: health, a real method, error statuses.</summary>
public sealed class GrpcJsInteropTests
{
    [Fact]
    public async Task GrpcJsCallsTheAnalysisServiceAndSeesItsStatuses()
    {
        await using var db = await AnalysisDatabase.CreateAsync();
        await using var host = new AnalysisFactory(db, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" });
        // grpc-js dials a real socket: Kestrel rather than the in-memory TestServer.
        host.UseKestrel();
        await host.StartAsync();
        var target = $"127.0.0.1:{host.Address.Port}";

        var report = await GrpcJs.RunClientAsync(target, new Dictionary<string, string> { ["ANALYSIS_TARGET"] = target });

        Assert.Equal("SERVING", report.GetProperty("health").GetProperty("reply").GetProperty("status").GetString());
        Assert.Equal((int)StatusCode.NotFound, report.GetProperty("healthUnknown").GetProperty("code").GetInt32());
        var stats = report.GetProperty("analysisStats");
        Assert.Equal(0, stats.GetProperty("code").GetInt32());
        Assert.Equal("0", stats.GetProperty("reply").GetProperty("dead").GetString());
        Assert.Equal((int)StatusCode.NotFound, report.GetProperty("analysisMissing").GetProperty("code").GetInt32());
        Assert.Equal((int)StatusCode.InvalidArgument, report.GetProperty("analysisInvalid").GetProperty("code").GetInt32());
    }
}
