namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Metric kinds as stored; OTLP's exponential histograms and summaries keep count and sum only.</summary>
public static class MetricTypes
{
    public const string Gauge = "gauge";
    public const string Counter = "counter";
    public const string UpDownCounter = "updowncounter";
    public const string Histogram = "histogram";
    public const string Summary = "summary";
}
