namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// A signed-in session. In cookie mode the tokens are in HTTP-only cookies and absent here; the CSRF token is
/// then what state-changing requests must echo in <c>X-CSRF-Token</c>.
/// </summary>
public sealed record SessionGrant(
    string SessionId,
    string Role,
    string? AccessToken,
    string TokenType,
    DateTimeOffset AccessTokenExpiresAt,
    string? RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    string? CsrfToken);
