namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>How long the old key keeps working beside the new one (default 7 days).</summary>
public sealed record KeyRotation(int? GraceHours = null);
