namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>One row of the traces list: the root span, the services the trace touched, its extent and errors.</summary>
public sealed record TraceSummary(
    string TraceId,
    string RootName,
    string RootService,
    IReadOnlyList<string> Services,
    DateTimeOffset Start,
    double DurationMs,
    int SpanCount,
    bool HasError,
    IReadOnlyList<string> ConversationIds);
