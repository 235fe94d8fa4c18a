using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// How much telemetry the dashboard keeps in memory. Each kind lives in a fixed-size ring, so a long run
/// drops its oldest items instead of growing; attribute counts and value lengths are capped at ingestion so
/// one oversized item cannot break the bound either. Section <c>Dashboard:Telemetry</c>.
/// </summary>
public sealed class TelemetryLimits
{
    public const string Section = "Dashboard:Telemetry";

    [Range(1, 10_000_000)]
    public int MaxSpans { get; set; } = 50_000;

    [Range(1, 10_000_000)]
    public int MaxLogs { get; set; } = 50_000;

    [Range(1, 10_000_000)]
    public int MaxMetricPoints { get; set; } = 50_000;

    [Range(1, 1_000)]
    public int MaxAttributesPerItem { get; set; } = 64;

    [Range(1, 1_000)]
    public int MaxEventsPerSpan { get; set; } = 32;

    [Range(16, 1_000_000)]
    public int MaxAttributeLength { get; set; } = 2_048;

    /// <summary>Largest accepted OTLP request body after decompression; bigger ones are refused with 413.</summary>
    [Range(1_024, 256 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;
}
