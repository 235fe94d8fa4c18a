namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>A span event (an exception, a retry, a state change) with its time and attributes.</summary>
public sealed record StoredSpanEvent(string Name, DateTimeOffset Time, IReadOnlyList<TelemetryAttribute> Attributes);
