namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>The access/portability export: every conversation held about the subject, in full.</summary>
public sealed record SubjectExport(DateTimeOffset GeneratedAt, IReadOnlyList<ConversationDetail> Conversations);
