using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>Maps the Analysis gRPC service and the standard gRPC health service.</summary>
public static class AnalysisApi
{
    public static WebApplication MapAnalysisApi(this WebApplication app)
    {
        var service = AnalysisReflection.Descriptor.Services[0];
        app.MapGrpcService(service, s => s
            .Unary<SubmitRequest, SubmitReply>("Submit", (request, context) => Resolve(context).SubmitAsync(request, context))
            .Unary<AnalyzeNowRequest, AnalyzeNowReply>("AnalyzeNow", (request, context) => Resolve(context).AnalyzeNowAsync(request, context))
            .Unary<GetAnalysisRequest, AnalysisReply>("GetAnalysis", (request, context) => Resolve(context).GetAnalysisAsync(request, context))
            .Unary<QueueStatsRequest, QueueStats>("GetQueueStats", (request, context) => Resolve(context).GetQueueStatsAsync(request, context)));
        app.MapGrpcHealthService(service.FullName);
        return app;
    }

    private static AnalysisGrpcService Resolve(GrpcCallContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<AnalysisGrpcService>();
}
