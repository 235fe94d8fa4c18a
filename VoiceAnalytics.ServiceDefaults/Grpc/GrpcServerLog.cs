using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

internal static partial class GrpcServerLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC handler for {Method} failed")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);
}
