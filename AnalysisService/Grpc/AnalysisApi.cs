namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>Maps the Analysis gRPC service, grpc.health.v1 and, in Development, server reflection.</summary>
public static class AnalysisApi
{
    public static WebApplication MapAnalysisApi(this WebApplication app)
    {
        app.MapGrpcService<AnalysisGrpcService>();
        app.MapGrpcHealthChecksService();
        if (app.Environment.IsDevelopment())
        {
            // Lets grpcurl-like tools list and call the API without the .proto files.
            app.MapGrpcReflectionService();
        }
        return app;
    }
}
