using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>Maps gRPC services onto Kestrel routes <c>/{package}.{Service}/{Method}</c>.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the methods of <paramref name="service"/> that <paramref name="bind"/> binds. Any other
    /// <c>/{service}/{method}</c> gRPC call answers UNIMPLEMENTED, as the protocol asks.
    /// </summary>
    /// <example><code>
    /// app.MapGrpcService(AnalysisReflection.Descriptor.Services[0], s => s
    ///     .Unary&lt;SubmitRequest, SubmitReply&gt;("Submit", handlers.SubmitAsync));
    /// </code></example>
    public static IEndpointRouteBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, ServiceDescriptor service, Action<GrpcServiceBinder> bind)
    {
        var binder = new GrpcServiceBinder(endpoints, service);
        bind(binder);
        MapUnimplementedFallback(endpoints);
        return endpoints;
    }

    private static void MapUnimplementedFallback(IEndpointRouteBuilder endpoints)
    {
        const string marker = "VoiceAnalytics.Grpc.Unimplemented";
        if (endpoints.DataSources.SelectMany(d => d.Endpoints).Any(e => e.DisplayName == marker))
        {
            return;
        }
        // Literal routes of bound methods win over this parameter route.
        endpoints.MapPost("/{service}/{method}", (HttpContext http, string service, string method) =>
        {
            if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            http.Response.ContentType = GrpcProtocol.ContentType;
            http.Response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Unimplemented).ToString(System.Globalization.CultureInfo.InvariantCulture);
            http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage($"Method is unimplemented: {service}/{method}.");
            return Task.CompletedTask;
        }).WithDisplayName(marker);
    }
}
