using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// Binds handlers to the methods of one service from its protobuf descriptor, so method names and message
/// types are checked against the contract rather than typed by hand.
/// </summary>
public sealed class GrpcServiceBinder(IEndpointRouteBuilder endpoints, ServiceDescriptor service)
{
    private readonly HashSet<string> _bound = [];

    public ServiceDescriptor Service { get; } = service;

    /// <summary>Binds a unary method: <c>Unary&lt;SubmitRequest, SubmitReply&gt;("Submit", handler)</c>.</summary>
    public GrpcServiceBinder Unary<TRequest, TResponse>(string methodName, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        var method = Service.FindMethodByName(methodName)
            ?? throw new InvalidOperationException($"{Service.FullName} has no method '{methodName}'.");
        if (method.IsClientStreaming || method.IsServerStreaming)
        {
            throw new InvalidOperationException($"{method.FullName} is a streaming method; bind it as such.");
        }
        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new InvalidOperationException(
                $"{method.FullName} takes {method.InputType.ClrType.Name} and returns {method.OutputType.ClrType.Name}.");
        }

        var path = $"/{Service.FullName}/{method.Name}";
        var call = new UnaryMethodHandler<TRequest, TResponse>(Service.FullName, method.Name, handler);
        endpoints.MapPost(path, call.HandleAsync).WithDisplayName($"gRPC {Service.FullName}/{method.Name}");
        _bound.Add(method.Name);
        return this;
    }

    internal bool IsBound(string methodName) => _bound.Contains(methodName);
}
