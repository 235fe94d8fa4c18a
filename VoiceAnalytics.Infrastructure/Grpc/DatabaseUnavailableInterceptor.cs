using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;

namespace VoiceAnalytics.Infrastructure.Grpc;

/// <summary>
/// Turns "the database cannot be reached" into <c>Unavailable</c>, the status a caller may retry, instead of
/// the framework's <c>Unknown</c>. Other failures keep their status; the exception's own text never reaches the
/// caller (it may quote data).
/// </summary>
public sealed class DatabaseUnavailableInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (IsDatabaseUnavailable(ex) && !context.CancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Unavailable("The database is not reachable; try again later.");
        }
    }

    private static bool IsDatabaseUnavailable(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient,
        TimeoutException => true,
        _ => false,
    };
}
