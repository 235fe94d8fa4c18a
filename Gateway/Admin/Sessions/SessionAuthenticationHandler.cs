using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Authenticates an access token (<c>Authorization: Bearer</c> or the session cookie): the token must verify, and
/// its session and the API key behind it must still be live, read from the database on every request so that a
/// revocation takes effect at once. A cookie-borne request that changes state must also echo the session's CSRF
/// token. Challenges and denials are answered by the API-key scheme, so both speak the same JSON.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    AccessTokenCodec codec, SessionStore sessions, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Session";
    public const string SessionIdClaim = "sid";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (SessionCredentials.ReadAccessToken(Request) is not { } credential)
        {
            return AuthenticateResult.NoResult();
        }
        var validation = codec.Validate(credential.Token);
        if (validation.Claims is not { } claims)
        {
            return Fail(validation.Failure ?? "invalid access token");
        }
        if (await sessions.FindAsync(claims.SessionId, Context.RequestAborted) is not { } session || session.Key.Id != claims.Subject)
        {
            return Fail("unknown session");
        }
        if (session.RejectionAt(clock.GetUtcNow()) is { } rejection)
        {
            return Fail(rejection);
        }
        if (credential.FromCookie && SessionCredentials.IsStateChanging(Request.Method)
            && !SessionSecrets.HashEquals(session.CsrfHash, Request.Headers[SessionCredentials.CsrfHeader].ToString()))
        {
            return Fail($"missing or wrong {SessionCredentials.CsrfHeader} header: a cookie session must echo its CSRF token");
        }
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, session.Key.Id), new Claim(ClaimTypes.Name, session.Key.Name),
                new Claim(ClaimTypes.Role, session.Role), new Claim(SessionIdClaim, session.Id),
            ],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[ApiKeyAuthenticationHandler.FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
