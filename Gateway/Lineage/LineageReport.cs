namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// A conversation's life in time order. <see cref="Unavailable"/> names the owners that did not answer (their steps
/// are missing from this report, which says so instead of failing as a whole).
/// </summary>
public sealed record LineageReport(string ConversationId, CallFacts Call, IReadOnlyList<LineageStep> Steps, IReadOnlyList<string> Unavailable);
