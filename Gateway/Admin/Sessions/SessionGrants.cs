using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>One request's sign-in or refresh: the database change and its audit record commit together, then the tokens go out.</summary>
internal sealed class SessionGrants(
    HttpContext http, SessionStore store, AccessTokenCodec codec, NpgsqlDataSource db, AuditTrail audit, SessionOptions options, TimeProvider time)
{
    public static JsonHttpResult<AdminError> Refused(int status, string reason) =>
        TypedResults.Json(new AdminError(status == StatusCodes.Status403Forbidden ? "forbidden" : "unauthorized", reason), statusCode: status);

    public async Task<Results<Ok<SessionGrant>, JsonHttpResult<AdminError>>> SignInAsync(ApiKeyRecord key, bool useCookies, CancellationToken cancellationToken)
    {
        if (key.RejectionAt(time.GetUtcNow()) is { } rejection)
        {
            return Refused(StatusCodes.Status401Unauthorized, rejection);
        }
        var csrf = SessionSecrets.NewCsrfToken();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (session, refresh, refreshExpires) = await store.CreateAsync(key, csrf, options.RefreshTokenLifetime, connection, transaction, cancellationToken);
        await audit.AppendAsync(ActorOf(session).Entry("session.create", $"session/{session.Id}", details: Details(useCookies)), connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Grant(session, refresh, refreshExpires, csrf, useCookies);
    }

    public async Task<Results<Ok<SessionGrant>, JsonHttpResult<AdminError>>> RefreshAsync(
        string token, bool fromCookie, bool useCookies, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await store.FindRefreshTokenAsync(SessionSecrets.Hash(token), connection, transaction, cancellationToken) is not { } used)
        {
            return Refused(StatusCodes.Status401Unauthorized, "invalid refresh token");
        }
        if (fromCookie && !SessionSecrets.HashEquals(used.Session.CsrfHash, http.Request.Headers[SessionCredentials.CsrfHeader].ToString()))
        {
            return Refused(StatusCodes.Status401Unauthorized, $"missing or wrong {SessionCredentials.CsrfHeader} header");
        }
        if (used.UsedAt is not null)
        {
            // A used token presented again means two holders: one of them stole it, and we cannot tell which, so the
            // whole family goes.
            var revoked = await store.RevokeAsync(used.Session.Id, "refresh token reused", connection, transaction, cancellationToken);
            await audit.AppendAsync(ActorOf(used.Session).Entry("session.refresh_reused", $"session/{used.Session.Id}",
                details: new Dictionary<string, string?> { ["session_revoked"] = revoked ? "true" : "already" }), connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return Refused(StatusCodes.Status401Unauthorized, "refresh token already used: the session is revoked");
        }
        var now = time.GetUtcNow();
        if (used.Session.RejectionAt(now) is { } rejection)
        {
            return Refused(StatusCodes.Status401Unauthorized, rejection);
        }
        if (used.ExpiresAt <= now)
        {
            return Refused(StatusCodes.Status401Unauthorized, "refresh token expired");
        }
        var csrf = SessionSecrets.NewCsrfToken();
        var (refresh, refreshExpires) = await store.RotateAsync(used, csrf, options.RefreshTokenLifetime, connection, transaction, cancellationToken);
        await audit.AppendAsync(ActorOf(used.Session).Entry("session.refresh", $"session/{used.Session.Id}", details: Details(useCookies)),
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Grant(used.Session, refresh, refreshExpires, csrf, useCookies);
    }

    public static void ClearCookies(HttpResponse response)
    {
        foreach (var name in new[] { SessionCredentials.AccessCookie, SessionCredentials.RefreshCookie, SessionCredentials.CsrfCookie })
        {
            response.Cookies.Delete(name, new CookieOptions { Secure = true, SameSite = SameSiteMode.Strict, Path = "/" });
        }
    }

    private Ok<SessionGrant> Grant(SessionRecord session, string refresh, DateTimeOffset refreshExpires, string csrf, bool useCookies)
    {
        var access = codec.Issue(session.Key.Id, session.Role, session.Id, out var accessExpires);
        http.Response.Headers.CacheControl = "no-store";
        if (!useCookies)
        {
            return TypedResults.Ok(new SessionGrant(session.Id, session.Role, access, "Bearer", accessExpires, refresh, refreshExpires, null));
        }
        // The tokens stay out of reach of page scripts; the CSRF token is readable, to be echoed in X-CSRF-Token.
        http.Response.Cookies.Append(SessionCredentials.AccessCookie, access, Cookie(accessExpires, httpOnly: true));
        http.Response.Cookies.Append(SessionCredentials.RefreshCookie, refresh, Cookie(refreshExpires, httpOnly: true));
        http.Response.Cookies.Append(SessionCredentials.CsrfCookie, csrf, Cookie(refreshExpires, httpOnly: false));
        return TypedResults.Ok(new SessionGrant(session.Id, session.Role, null, "Cookie", accessExpires, null, refreshExpires, csrf));
    }

    private static CookieOptions Cookie(DateTimeOffset expires, bool httpOnly) =>
        new() { HttpOnly = httpOnly, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", Expires = expires, IsEssential = true };

    private AdminActor ActorOf(SessionRecord session) => new(
        session.Key.Id, session.Key.Name, session.Role, http.Connection.RemoteIpAddress?.ToString(), System.Diagnostics.Activity.Current?.TraceId.ToHexString());

    private static Dictionary<string, string?> Details(bool useCookies) => new() { ["delivery"] = useCookies ? "cookie" : "bearer" };
}
