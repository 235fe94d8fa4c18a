using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.CrmService.Grpc;

public static class CrmApi
{
    /// <summary>Maps the Crm gRPC service and the standard gRPC health service.</summary>
    public static WebApplication MapCrmApi(this WebApplication app)
    {
        var service = CrmReflection.Descriptor.Services[0];
        app.MapGrpcService(service, s => s
            .Unary<NudgeExportRequest, NudgeExportReply>("NudgeExport", (r, c) => Handler(c).NudgeExportAsync(r, c))
            .Unary<ExportStatusRequest, ExportStatusReply>("GetExportStatus", (r, c) => Handler(c).GetExportStatusAsync(r, c))
            .Unary<RetryExportRequest, RetryExportReply>("RetryExport", (r, c) => Handler(c).RetryExportAsync(r, c))
            .Unary<CircuitStateRequest, CircuitStateReply>("GetCircuitState", (r, c) => Handler(c).GetCircuitStateAsync(r, c))
            .Unary<QueueStatsRequest, QueueStats>("GetQueueStats", (r, c) => Handler(c).GetQueueStatsAsync(r, c)));
        app.MapGrpcHealthService(service.FullName);
        return app;
    }

    private static CrmGrpcService Handler(GrpcCallContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<CrmGrpcService>();
}
