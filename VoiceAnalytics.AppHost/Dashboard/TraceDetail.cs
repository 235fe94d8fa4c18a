using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>One trace for the waterfall: its summary and its spans in start order.</summary>
public sealed record TraceDetail(TraceSummary Summary, IReadOnlyList<StoredSpan> Spans);
