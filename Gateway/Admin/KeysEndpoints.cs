using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Admin.Contracts;
using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>API keys: create (the secret shown once), list, rotate with a grace period, revoke. Admin only.</summary>
public static class KeysEndpoints
{
    public static RouteGroupBuilder MapKeysEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("API keys").RequireAuthorization(AdminRoles.AdminPolicy);
        keys.MapPost("/", CreateAsync).WithSummary("Create an API key; its secret is in this response only.");
        keys.MapGet("/", ListAsync).WithSummary("List API keys (never their secrets); expiresSoon flags live keys due for rotation.");
        keys.MapPost("/{id}/rotate", RotateAsync).WithSummary("Replace a key; the old one keeps working until the grace period ends.");
        keys.MapPost("/{id}/revoke", RevokeAsync).WithSummary("Revoke a key at once.");
        return keys;
    }

    private static async Task<Results<Created<CreatedKey>, BadRequest<AdminError>>> CreateAsync(
        KeyCreation request, HttpContext http, ApiKeyStore store, NpgsqlDataSource db, AuditTrail audit, TimeProvider time,
        IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "name is required (at most 100 characters)."));
        }
        if (!AdminRoles.IsValid(request.Role))
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "role must be admin, operator or auditor."));
        }
        if (request.ExpiresInDays is < 1 or > 3650)
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "expiresInDays must be between 1 and 3650."));
        }
        var actor = AdminActor.From(http);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var lifetime = request.ExpiresInDays is { } days ? TimeSpan.FromDays(days) : options.Value.DefaultKeyLifetime;
        var expires = lifetime > TimeSpan.Zero ? time.GetUtcNow() + lifetime : (DateTimeOffset?)null;
        var (key, token) = await store.CreateAsync(request.Name, request.Role, expires, actor.Actor, connection, transaction, cancellationToken);
        await audit.AppendAsync(actor.Entry("key.create", $"key/{key.Id}", details: new Dictionary<string, string?> { ["role"] = key.Role }),
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new CreatedKey(key, token));
    }

    private static async Task<Ok<IReadOnlyList<ListedKey>>> ListAsync(
        HttpContext http, ApiKeyStore store, AuditTrail audit, IOptions<AdminOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(cancellationToken);
        await audit.AppendAsync(AdminActor.From(http).Entry("key.list", "keys"), cancellationToken);
        var now = time.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<ListedKey>>([.. keys.Select(k => ListedKey.From(k, k.ExpiresWithin(options.Value.KeyExpiryWarning, now)))]);
    }

    private static async Task<Results<Created<CreatedKey>, NotFound<AdminError>, BadRequest<AdminError>>> RotateAsync(
        string id, KeyRotation? request, HttpContext http, ApiKeyStore store, NpgsqlDataSource db, AuditTrail audit,
        IOptions<AdminOptions> options, CancellationToken cancellationToken)
    {
        if (request?.GraceHours is < 0 or > 24 * 90)
        {
            return TypedResults.BadRequest(new AdminError("invalid_request", "graceHours must be between 0 and 2160."));
        }
        var grace = request?.GraceHours is { } hours ? TimeSpan.FromHours(hours) : options.Value.DefaultRotationGrace;
        var actor = AdminActor.From(http);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await store.RotateAsync(id, grace, actor.Actor, connection, transaction, cancellationToken) is not { } rotated)
        {
            return TypedResults.NotFound(new AdminError("not_found", $"No active, unrotated key '{id}'."));
        }
        await audit.AppendAsync(actor.Entry("key.rotate", $"key/{id}", details: new Dictionary<string, string?>
        {
            ["replaced_by"] = rotated.New.Id,
            ["grace_until"] = rotated.Old.GraceUntil?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }), connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{rotated.New.Id}", new CreatedKey(rotated.New, rotated.Token));
    }

    private static async Task<Results<NoContent, NotFound<AdminError>>> RevokeAsync(
        string id, HttpContext http, ApiKeyStore store, NpgsqlDataSource db, AuditTrail audit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await store.RevokeAsync(id, connection, transaction, cancellationToken))
        {
            return TypedResults.NotFound(new AdminError("not_found", $"No unrevoked key '{id}'."));
        }
        await audit.AppendAsync(AdminActor.From(http).Entry("key.revoke", $"key/{id}"), connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
