namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// What an erasure removed, by conversation: counts per table, spool lines and Markdown sections.
/// <see cref="Remaining"/> is how many conversations the subject still matches once it finished (0: the erasure
/// is complete; more only if conversations of that phone kept arriving while it ran).
/// </summary>
public sealed record ErasureReport(IReadOnlyList<string> ConversationIds, IReadOnlyDictionary<string, long> Removed, int Remaining = 0);
