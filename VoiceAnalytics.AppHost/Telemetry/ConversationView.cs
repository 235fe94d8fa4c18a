namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Everything known about one conversation: its trace(s) and its logs.</summary>
public sealed record ConversationView(
    string ConversationId, IReadOnlyList<TraceSummary> Traces, IReadOnlyList<StoredLog> Logs);
