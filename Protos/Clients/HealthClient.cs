using Grpc.Health.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Protos.Clients;

/// <summary>Typed client of the standard <c>grpc.health.v1.Health</c> service.</summary>
public sealed class HealthClient(GrpcChannel channel)
{
    private static readonly string Service = "/" + HealthReflection.Descriptor.Services[0].FullName + "/";

    public Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, CallOptions options = default) =>
        channel.UnaryAsync(Service + "Check", request, HealthCheckResponse.Parser, options);
}
