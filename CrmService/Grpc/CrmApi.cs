namespace VoiceAnalytics.CrmService.Grpc;

/// <summary>Maps the Crm gRPC service, grpc.health.v1 and, in Development, server reflection.</summary>
public static class CrmApi
{
    public static WebApplication MapCrmApi(this WebApplication app)
    {
        app.MapGrpcService<CrmGrpcService>();
        app.MapGrpcHealthChecksService();
        if (app.Environment.IsDevelopment())
        {
            // Lets grpcurl-like tools list and call the API without the .proto files.
            app.MapGrpcReflectionService();
        }
        return app;
    }
}
