namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// A call that ended with a non-OK gRPC status. Thrown by handlers to choose the status a client sees, and by
/// the client when the server (or the transport) ended the call with one. The detail is sent on the wire: it
/// must never carry personal data or internals.
/// </summary>
public sealed class RpcException(StatusCode statusCode, string detail, Exception? innerException = null)
    : Exception($"Status({statusCode}, \"{detail}\")", innerException)
{
    public StatusCode StatusCode { get; } = statusCode;

    public string Detail { get; } = detail;
}
