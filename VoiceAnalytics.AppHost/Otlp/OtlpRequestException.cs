namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>A request the receiver refuses before parsing: wrong content type or encoding, or too large.</summary>
public sealed class OtlpRequestException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
