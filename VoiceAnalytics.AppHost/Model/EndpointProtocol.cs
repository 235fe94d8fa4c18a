namespace VoiceAnalytics.AppHost.Model;

/// <summary>What an endpoint speaks. Kestrel's cleartext Http1AndHttp2 refuses HTTP/2 prior knowledge, so gRPC (h2c) gets its own endpoint.</summary>
public enum EndpointProtocol
{
    Http1,
    Http2,
    Tcp,
}
