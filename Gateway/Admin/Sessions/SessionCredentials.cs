namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Where a session credential travels: an access token in <c>Authorization: Bearer</c>, or, for browsers, in an
/// HTTP-only cookie whose state-changing requests must echo the session's CSRF token in <see cref="CsrfHeader"/>.
/// </summary>
public static class SessionCredentials
{
    // __Host-: the browser keeps them only when Secure, for this host alone and path /, so no sibling domain can plant one.
    public const string AccessCookie = "__Host-va-session";
    public const string RefreshCookie = "__Host-va-refresh";
    public const string CsrfCookie = "__Host-va-csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>A JWS compact token (API keys and the bootstrap key never have this shape).</summary>
    public static bool LooksLikeJwt(string token) =>
        token.StartsWith("eyJ", StringComparison.Ordinal) && token.Count(c => c == '.') == 2;

    /// <summary>The access token and whether it came from the cookie; null when the request carries none.</summary>
    public static (string Token, bool FromCookie)? ReadAccessToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var bearer = authorization["Bearer ".Length..].Trim();
            return LooksLikeJwt(bearer) ? (bearer, false) : null;
        }
        if (authorization.Length > 0 || request.Headers.ContainsKey("X-Api-Key"))
        {
            return null;
        }
        return request.Cookies[AccessCookie] is { Length: > 0 } cookie ? (cookie, true) : null;
    }

    /// <summary>True for the methods a cross-site page could use to change something.</summary>
    public static bool IsStateChanging(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));
}
