namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>Per-call options of the gRPC client.</summary>
/// <param name="Timeout">Deadline relative to now; sent as <c>grpc-timeout</c> and enforced locally too.</param>
/// <param name="Metadata">Request metadata (headers); keys ending in <c>-bin</c> carry base64 values.</param>
/// <param name="CancellationToken">Cancels the call (CANCELLED).</param>
public readonly record struct CallOptions(
    TimeSpan? Timeout = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    CancellationToken CancellationToken = default);
