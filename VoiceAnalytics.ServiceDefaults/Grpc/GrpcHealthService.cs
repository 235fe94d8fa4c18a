using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// <c>grpc.health.v1.Health/Check</c> backed by the same health checks as <c>/health</c>: SERVING when every
/// check is healthy. The empty service name and the names of the services this process maps are known;
/// any other name is NOT_FOUND, as the health protocol asks. Watch (streaming) answers UNIMPLEMENTED.
/// </summary>
public static class GrpcHealthService
{
    public static IEndpointRouteBuilder MapGrpcHealthService(this IEndpointRouteBuilder endpoints, params string[] serviceNames)
    {
        var known = new HashSet<string>(serviceNames) { "" };
        endpoints.MapGrpcService(HealthReflection.Descriptor.Services[0], s => s
            .Unary<HealthCheckRequest, HealthCheckResponse>("Check", async (request, context) =>
            {
                if (!known.Contains(request.Service))
                {
                    throw GrpcErrors.NotFound($"Unknown service '{request.Service}'.");
                }
                var health = context.HttpContext.RequestServices.GetRequiredService<HealthCheckService>();
                var report = await health.CheckHealthAsync(context.CancellationToken);
                return new HealthCheckResponse
                {
                    Status = report.Status == HealthStatus.Healthy
                        ? HealthCheckResponse.Types.ServingStatus.Serving
                        : HealthCheckResponse.Types.ServingStatus.NotServing,
                };
            }));
        return endpoints;
    }
}
