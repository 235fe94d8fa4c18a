namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>The receiver's log messages.</summary>
public static partial class OtlpReceiverLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "OTLP {Signal} export refused with {StatusCode}: {Reason}")]
    public static partial void ExportRefused(ILogger logger, string signal, int statusCode, string reason);
}
