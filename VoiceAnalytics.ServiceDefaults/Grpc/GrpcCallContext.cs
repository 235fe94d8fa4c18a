using Microsoft.AspNetCore.Http;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>What a handler knows about the call it serves: method, metadata, deadline and cancellation.</summary>
public sealed class GrpcCallContext(HttpContext httpContext, string method, DateTime? deadline, CancellationToken cancellationToken)
{
    private readonly List<(string Key, string Value)> _trailers = [];

    /// <summary>Full method name, <c>/package.Service/Method</c>.</summary>
    public string Method { get; } = method;

    /// <summary>When the caller gives up (UTC), from <c>grpc-timeout</c>; null when it sent none.</summary>
    public DateTime? Deadline { get; } = deadline;

    /// <summary>Cancelled when the deadline passes or the caller goes away.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    public HttpContext HttpContext { get; } = httpContext;

    /// <summary>An ASCII metadata value sent by the caller, or null.</summary>
    public string? GetMetadata(string key) =>
        HttpContext.Request.Headers.TryGetValue(key, out var value) ? value.ToString() : null;

    /// <summary>A binary (<c>-bin</c>) metadata value sent by the caller, base64-decoded; null when absent or malformed.</summary>
    public byte[]? GetBinaryMetadata(string key)
    {
        var value = GetMetadata(key.EndsWith("-bin", StringComparison.Ordinal) ? key : key + "-bin");
        if (value is null)
        {
            return null;
        }
        // gRPC allows unpadded base64 in -bin values.
        var padded = value.PadRight(value.Length + (4 - value.Length % 4) % 4, '=');
        var buffer = new byte[padded.Length];
        return Convert.TryFromBase64String(padded, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Adds a metadata entry to the response trailers.</summary>
    public void AddResponseTrailer(string key, string value) => _trailers.Add((key, value));

    internal IReadOnlyList<(string Key, string Value)> ResponseTrailers => _trailers;

    /// <summary>The caller's address, for logs.</summary>
    public string Peer => HttpContext.Connection.RemoteIpAddress + ":" + HttpContext.Connection.RemotePort;
}
