using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Admin.Sessions;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the bootstrap key and
/// <c>auth.api_keys</c>. A missing, unknown, expired, revoked or past-grace key gets 401 with a JSON reason; an
/// authenticated key without the role gets 403 and an <c>access.denied</c> audit record.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder,
    ApiKeyStore keys, IOptions<AdminOptions> admin, AuditTrail audit, DenialAggregator denials, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    /// <summary>Where either admin scheme leaves its refusal reason for the shared challenge.</summary>
    internal const string FailureItem = "va.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        // Both sides hashed first: FixedTimeEquals returns at once on a length difference, so comparing the keys
        // themselves would tell a caller how long the bootstrap key is.
        if (admin.Value.BootstrapKey is { } bootstrap && !string.IsNullOrWhiteSpace(bootstrap) &&
            CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(bootstrap)), SHA256.HashData(Encoding.UTF8.GetBytes(token))))
        {
            return Success("bootstrap", "bootstrap key", AdminRoles.Admin);
        }
        if (ApiKeyToken.IdOf(token) is not { } id || await keys.FindAsync(id, Context.RequestAborted) is not { } found
            || !ApiKeyToken.HashEquals(found.SecretHash, token))
        {
            return Fail("invalid API key");
        }
        if (found.Key.RejectionAt(clock.GetUtcNow()) is { } rejection)
        {
            return Fail(rejection);
        }
        return Success(found.Key.Id, found.Key.Name, found.Key.Role);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var reason = Context.Items[FailureItem] as string ?? "missing API key: send Authorization: Bearer <key> or X-Api-Key";
        LogRejected(Logger, Request.Path, reason);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new AdminError("unauthorized", reason), Context.RequestAborted);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var actor = AdminActor.From(Context);
        var reason = $"role '{actor.Role}' may not call {Request.Method} {Request.Path}";
        if (denials.ShouldRecord(actor.KeyId, Request.Method, Request.Path, out var folded))
        {
            await audit.AppendAsync(actor.Entry("access.denied", $"{Request.Method} {Request.Path}", details: folded == 0 ? null
                : new Dictionary<string, string?> { ["repeated_since_last_record"] = folded.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                Context.RequestAborted);
        }
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new AdminError("forbidden", reason), Context.RequestAborted);
    }

    private static string? ReadToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // An access token is the session scheme's; read as an API key it would only fail.
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer && !SessionCredentials.LooksLikeJwt(bearer) ? bearer : null;
        }
        return request.Headers["X-Api-Key"].ToString().Trim() is { Length: > 0 } header ? header : null;
    }

    private AuthenticateResult Success(string keyId, string name, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, keyId), new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    // Debug: anyone on the network can cause a 401, so at a higher level it would be theirs to flood the log with.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Admin API request to {Path} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, PathString path, string reason);
}
