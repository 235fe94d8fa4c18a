namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>Server-side limits of the gRPC transport (configuration section <c>Grpc</c>).</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted; larger ones end with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;
}
