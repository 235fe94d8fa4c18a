namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>What an access token says: the API key it was signed in with (<c>sub</c>), its role, the session and the validity window.</summary>
public sealed record AccessTokenClaims(string Subject, string Role, string SessionId, DateTimeOffset IssuedAt, DateTimeOffset NotBefore, DateTimeOffset ExpiresAt);
