// The one place System.Tests name the gRPC client types: the aliases below are what the suites use.
global using AnalysisGrpcClient = VoiceAnalytics.Protos.Clients.AnalysisClient;
global using CrmGrpcClient = VoiceAnalytics.Protos.Clients.CrmClient;
global using GrpcCallOptions = VoiceAnalytics.ServiceDefaults.Grpc.CallOptions;
global using RpcException = VoiceAnalytics.ServiceDefaults.Grpc.RpcException;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Creates the gRPC clients System.Tests use. When the services move to Grpc.Net (issue 13), the switch is this
/// file: the aliases become <c>VoiceAnalytics.Protos.Analysis.V1.Analysis.AnalysisClient</c>,
/// <c>VoiceAnalytics.Protos.Crm.V1.Crm.CrmClient</c> and <c>Grpc.Core.CallOptions</c> (and <c>Grpc.Core.RpcException</c>), the clients are built on
/// <c>Grpc.Net.Client.GrpcChannel.ForAddress(address, new() { HttpClient = http })</c>, and
/// <see cref="Deadline"/> returns <c>new(deadline: DateTime.UtcNow + timeout)</c>.
/// </summary>
public static class GrpcClients
{
    public static AnalysisGrpcClient Analysis(HttpClient http, Uri address) => new(new VoiceAnalytics.ServiceDefaults.Grpc.GrpcChannel(http, address));

    public static CrmGrpcClient Crm(HttpClient http, Uri address) => new(new VoiceAnalytics.ServiceDefaults.Grpc.GrpcChannel(http, address));

    /// <summary>Call options with a deadline <paramref name="timeout"/> from now.</summary>
    public static GrpcCallOptions Deadline(TimeSpan timeout) => new(timeout);
}
