namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// Small helpers that make a handler's failures read as what they are:
/// <c>throw GrpcErrors.NotFound("No analysis for this conversation yet.")</c>.
/// </summary>
public static class GrpcErrors
{
    public static RpcException InvalidArgument(string detail) => new(StatusCode.InvalidArgument, detail);

    public static RpcException NotFound(string detail) => new(StatusCode.NotFound, detail);

    public static RpcException FailedPrecondition(string detail) => new(StatusCode.FailedPrecondition, detail);

    public static RpcException Unavailable(string detail) => new(StatusCode.Unavailable, detail);

    /// <summary>Throws InvalidArgument when <paramref name="value"/> is empty.</summary>
    public static string RequireNonEmpty(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidArgument($"{field} is required.") : value;
}
