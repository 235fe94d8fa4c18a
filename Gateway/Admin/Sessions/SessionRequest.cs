namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Sign in (no refresh token: the API key in the request's headers authenticates) or refresh (a refresh token, in
/// the body or the refresh cookie). <paramref name="UseCookies"/>: deliver the tokens as HTTP-only cookies, for a browser.
/// </summary>
public sealed record SessionRequest(string? RefreshToken = null, bool? UseCookies = null);
