using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Operator sessions: sign in with an API key, refresh (the refresh token is rotated; presenting a used one
/// revokes the whole session), sign out or revoke. Every grant, refresh, reuse and revocation is audited.
/// </summary>
public static class SessionsEndpoints
{
    public static RouteGroupBuilder MapSessionsEndpoints(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags("Sessions");
        sessions.MapPost("/", OpenAsync).AllowAnonymous().WithSummary(
            "Sign in with an API key (in Authorization: Bearer or X-Api-Key), or refresh with a refresh token (body or cookie); " +
            "returns a 24-hour EdDSA access token and a single-use 30-day refresh token.")
            .Produces<AdminError>(StatusCodes.Status401Unauthorized).Produces<AdminError>(StatusCodes.Status403Forbidden);
        sessions.MapDelete("/{id}", RevokeAsync).RequireAuthorization(AdminRoles.AnyRolePolicy).WithSummary(
            "Revoke a session at once (its own session for any role, any session for an admin).");
        return sessions;
    }

    private static async Task<Results<Ok<SessionGrant>, JsonHttpResult<AdminError>>> OpenAsync(
        SessionRequest? request, HttpContext http, SessionStore store, ApiKeyStore keys, AccessTokenCodec codec, NpgsqlDataSource db,
        AuditTrail audit, IOptions<SessionOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var grants = new SessionGrants(http, store, codec, db, audit, options.Value, time);
        if (request?.RefreshToken is { Length: > 0 } refreshToken)
        {
            return await grants.RefreshAsync(refreshToken, fromCookie: false, request.UseCookies == true, cancellationToken);
        }
        if (http.Request.Headers.Authorization.Count > 0 || http.Request.Headers.ContainsKey("X-Api-Key"))
        {
            var result = await http.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
            if (!result.Succeeded)
            {
                return SessionGrants.Refused(StatusCodes.Status401Unauthorized, result.Failure?.Message ?? "an API key is required to sign in");
            }
            http.User = result.Principal;
            if (await keys.FindAsync(AdminActor.From(http).KeyId, cancellationToken) is not { } found)
            {
                // The bootstrap key lives in configuration, where a session could not see it being withdrawn.
                return SessionGrants.Refused(StatusCodes.Status403Forbidden, "the bootstrap key cannot open a session; sign in with an API key");
            }
            return await grants.SignInAsync(found.Key, request?.UseCookies == true, cancellationToken);
        }
        if (http.Request.Cookies[SessionCredentials.RefreshCookie] is { Length: > 0 } cookie)
        {
            return await grants.RefreshAsync(cookie, fromCookie: true, useCookies: true, cancellationToken);
        }
        return SessionGrants.Refused(StatusCodes.Status401Unauthorized, "send an API key (Authorization: Bearer or X-Api-Key) or a refresh token");
    }

    private static async Task<Results<NoContent, NotFound<AdminError>>> RevokeAsync(
        string id, HttpContext http, SessionStore store, NpgsqlDataSource db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var actor = AdminActor.From(http);
        var session = await store.FindAsync(id, cancellationToken);
        // Another key's session is reported as absent to a non-admin: session ids are not theirs to probe.
        if (session is null || (actor.Role != AdminRoles.Admin && session.Key.Id != actor.KeyId))
        {
            return TypedResults.NotFound(new AdminError("not_found", $"No session '{id}'."));
        }
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await store.RevokeAsync(id, $"revoked by {actor.Actor}", connection, transaction, cancellationToken))
        {
            return TypedResults.NotFound(new AdminError("not_found", $"Session '{id}' is already revoked."));
        }
        await audit.AppendAsync(actor.Entry("session.revoke", $"session/{id}", details: new Dictionary<string, string?> { ["key_id"] = session.Key.Id }),
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (http.User.FindFirst(SessionAuthenticationHandler.SessionIdClaim)?.Value == id)
        {
            SessionGrants.ClearCookies(http.Response);
        }
        return TypedResults.NoContent();
    }
}
