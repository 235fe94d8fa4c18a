// The one place System.Tests name the gRPC client types: the aliases below are what the suites use.
global using AnalysisGrpcClient = VoiceAnalytics.Protos.Analysis.V1.Analysis.AnalysisClient;
global using CrmGrpcClient = VoiceAnalytics.Protos.Crm.V1.Crm.CrmClient;
global using GrpcCallOptions = Grpc.Core.CallOptions;
global using RpcException = Grpc.Core.RpcException;
using Grpc.Net.Client;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>Creates the generated gRPC clients System.Tests use, over a caller-owned HttpClient (h2c).</summary>
public static class GrpcClients
{
    public static AnalysisGrpcClient Analysis(HttpClient http, Uri address) => new(Channel(http, address));

    public static CrmGrpcClient Crm(HttpClient http, Uri address) => new(Channel(http, address));

    /// <summary>Call options with a deadline <paramref name="timeout"/> from now.</summary>
    public static GrpcCallOptions Deadline(TimeSpan timeout) => new(deadline: DateTime.UtcNow + timeout);

    private static GrpcChannel Channel(HttpClient http, Uri address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = http, DisposeHttpClient = false });
}
