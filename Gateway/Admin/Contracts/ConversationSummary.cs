namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>One conversation in a list: ids, time, outcome and export state, no personal data.</summary>
public sealed record ConversationSummary(
    string ConversationId, string? AgentId, DateTimeOffset FirstReceivedAt, IReadOnlyList<string> EventTypes,
    string? Outcome, string? Topic, int? AnalysisVersion, string? ExportState);
