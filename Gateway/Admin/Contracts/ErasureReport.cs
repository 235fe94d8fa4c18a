namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>What an erasure removed, by conversation: counts per table, spool lines and Markdown sections.</summary>
public sealed record ErasureReport(IReadOnlyList<string> ConversationIds, IReadOnlyDictionary<string, long> Removed);
