using VoiceAnalytics.Protos.Clients;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// The one place System.Tests create gRPC clients. When the services move to Grpc.Net, this becomes
/// <c>new Analysis.AnalysisClient(Grpc.Net.Client.GrpcChannel.ForAddress(address, new() { HttpClient = http }))</c>.
/// </summary>
public static class GrpcClients
{
    public static AnalysisClient Analysis(HttpClient http, Uri address) => new(new GrpcChannel(http, address));

    public static CrmClient Crm(HttpClient http, Uri address) => new(new GrpcChannel(http, address));
}
