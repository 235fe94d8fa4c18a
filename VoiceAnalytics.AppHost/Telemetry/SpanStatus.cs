namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>The OTLP span status codes as the dashboard names them.</summary>
public static class SpanStatus
{
    public const string Unset = "Unset";
    public const string Ok = "Ok";
    public const string Error = "Error";
}
