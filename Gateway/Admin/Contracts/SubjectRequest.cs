namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A data-subject request names the subject by conversation id or by phone number (exactly one).</summary>
public sealed record SubjectRequest(string? ConversationId = null, string? Phone = null);
