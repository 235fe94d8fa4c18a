namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>A stored refresh token (by hash) and its session.</summary>
public sealed record RefreshTokenRecord(byte[] TokenHash, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, SessionRecord Session);
