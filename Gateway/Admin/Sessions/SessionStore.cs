using System.Data.Common;
using Npgsql;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary><c>auth.sessions</c> and <c>auth.refresh_tokens</c>: sign in, look up per request, rotate refresh tokens, revoke.</summary>
public sealed class SessionStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string SessionColumns = """
        s.id, s.role, s.csrf_hash, s.created_at, s.revoked_at,
        k.id, k.name, k.role, k.created_at, k.created_by, k.expires_at, k.revoked_at, k.replaced_by, k.grace_until
        """;

    /// <summary>A new session for <paramref name="key"/> and its first refresh token (returned, stored hashed).</summary>
    public async Task<(SessionRecord Session, string RefreshToken, DateTimeOffset RefreshExpiresAt)> CreateAsync(
        ApiKeyRecord key, string csrfToken, TimeSpan refreshLifetime, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new SessionRecord(SessionSecrets.NewSessionId(), key.Role, SessionSecrets.Hash(csrfToken), now, null, key);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO auth.sessions (id, key_id, role, csrf_hash, created_at) VALUES (@id, @key, @role, @csrf, @now)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", session.Id);
            insert.Parameters.AddWithValue("key", key.Id);
            insert.Parameters.AddWithValue("role", key.Role);
            insert.Parameters.AddWithValue("csrf", session.CsrfHash);
            insert.Parameters.AddWithValue("now", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        var (token, expires) = await IssueRefreshTokenAsync(session.Id, refreshLifetime, connection, transaction, cancellationToken);
        return (session, token, expires);
    }

    /// <summary>The session and its key, read on every request so that a revocation takes effect at once.</summary>
    public async Task<SessionRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SessionColumns} FROM auth.sessions s JOIN auth.api_keys k ON k.id = s.key_id WHERE s.id = @id
            """);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSession(reader, 0) : null;
    }

    /// <summary>The refresh token with this hash and its session, both locked until the transaction ends.</summary>
    public async Task<RefreshTokenRecord?> FindRefreshTokenAsync(
        byte[] tokenHash, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"""
            SELECT r.token_hash, r.expires_at, r.used_at, {SessionColumns}
            FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id JOIN auth.api_keys k ON k.id = s.key_id
            WHERE r.token_hash = @hash FOR UPDATE OF r, s
            """, connection, transaction);
        select.Parameters.AddWithValue("hash", tokenHash);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RefreshTokenRecord(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2), ReadSession(reader, 3))
            : null;
    }

    /// <summary>Marks <paramref name="used"/> as used, issues its successor and replaces the session's CSRF token.</summary>
    public async Task<(string RefreshToken, DateTimeOffset RefreshExpiresAt)> RotateAsync(
        RefreshTokenRecord used, string csrfToken, TimeSpan refreshLifetime, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(used);
        await using (var update = new NpgsqlCommand("""
            UPDATE auth.refresh_tokens SET used_at = @now WHERE token_hash = @hash;
            UPDATE auth.sessions SET csrf_hash = @csrf WHERE id = @session;
            """, connection, transaction))
        {
            update.Parameters.AddWithValue("now", time.GetUtcNow());
            update.Parameters.AddWithValue("hash", used.TokenHash);
            update.Parameters.AddWithValue("csrf", SessionSecrets.Hash(csrfToken));
            update.Parameters.AddWithValue("session", used.Session.Id);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return await IssueRefreshTokenAsync(used.Session.Id, refreshLifetime, connection, transaction, cancellationToken);
    }

    /// <summary>Revokes the session (and with it every access and refresh token of its family); false when already revoked or unknown.</summary>
    public async Task<bool> RevokeAsync(string id, string reason, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE auth.sessions SET revoked_at = @now, revoked_reason = @reason WHERE id = @id AND revoked_at IS NULL
            """, connection, transaction);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("reason", reason);
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<(string Token, DateTimeOffset ExpiresAt)> IssueRefreshTokenAsync(
        string sessionId, TimeSpan lifetime, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var token = SessionSecrets.NewRefreshToken();
        var now = time.GetUtcNow();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO auth.refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES (@hash, @session, @now, @expires)
            """, connection, transaction);
        insert.Parameters.AddWithValue("hash", SessionSecrets.Hash(token));
        insert.Parameters.AddWithValue("session", sessionId);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("expires", now + lifetime);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (token, now + lifetime);
    }

    private static SessionRecord ReadSession(DbDataReader reader, int at) => new(
        reader.GetString(at),
        reader.GetString(at + 1),
        reader.GetFieldValue<byte[]>(at + 2),
        reader.GetFieldValue<DateTimeOffset>(at + 3),
        reader.IsDBNull(at + 4) ? null : reader.GetFieldValue<DateTimeOffset>(at + 4),
        new ApiKeyRecord(
            reader.GetString(at + 5),
            reader.GetString(at + 6),
            reader.GetString(at + 7),
            reader.GetFieldValue<DateTimeOffset>(at + 8),
            reader.GetString(at + 9),
            reader.IsDBNull(at + 10) ? null : reader.GetFieldValue<DateTimeOffset>(at + 10),
            reader.IsDBNull(at + 11) ? null : reader.GetFieldValue<DateTimeOffset>(at + 11),
            reader.IsDBNull(at + 12) ? null : reader.GetString(at + 12),
            reader.IsDBNull(at + 13) ? null : reader.GetFieldValue<DateTimeOffset>(at + 13)));
}
