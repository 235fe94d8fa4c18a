using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Microsoft.Extensions.Hosting;

/// <summary>Gives a unary call that has no deadline <see cref="GrpcClientExtensions.DefaultDeadline"/>.</summary>
public sealed class DefaultDeadlineInterceptor(TimeProvider? time = null) : Interceptor
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (context.Options.Deadline is null)
        {
            var options = context.Options.WithDeadline(_time.GetUtcNow().UtcDateTime + GrpcClientExtensions.DefaultDeadline);
            context = new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
        }
        return continuation(request, context);
    }
}
