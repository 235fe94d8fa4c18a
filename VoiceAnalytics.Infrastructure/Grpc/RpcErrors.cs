using Grpc.Core;

namespace VoiceAnalytics.Infrastructure.Grpc;

/// <summary>
/// Throw helpers that make a gRPC method's failures read as what they are:
/// <c>throw RpcErrors.NotFound("This conversation has no analysis yet.")</c>. Details are shown to callers, so
/// they never carry personal data.
/// </summary>
public static class RpcErrors
{
    public static RpcException InvalidArgument(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    public static RpcException NotFound(string detail) => new(new Status(StatusCode.NotFound, detail));

    public static RpcException Unavailable(string detail) => new(new Status(StatusCode.Unavailable, detail));

    /// <summary>Returns <paramref name="value"/>, or throws InvalidArgument naming <paramref name="field"/> when it is blank.</summary>
    public static string RequireNonEmpty(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidArgument($"{field} is required.") : value;
}
