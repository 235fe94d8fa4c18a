using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Gives a unary call that has no deadline <see cref="GrpcClientExtensions.DefaultDeadline"/>. The deadline is
/// wall-clock time sent to the peer, so it comes from the system clock, never from an injected test clock.
/// </summary>
public sealed class DefaultDeadlineInterceptor : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (context.Options.Deadline is null)
        {
            var options = context.Options.WithDeadline(DateTime.UtcNow + GrpcClientExtensions.DefaultDeadline);
            context = new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
        }
        return continuation(request, context);
    }
}
