using System.Data.Common;
using Npgsql;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary><c>auth.api_keys</c>: create (the token is returned once), look up for authentication, rotate, revoke.</summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "id, name, role, created_at, created_by, expires_at, revoked_at, replaced_by, grace_until";

    /// <summary>A new key; the token is in the result and nowhere else.</summary>
    public async Task<(ApiKeyRecord Key, string Token)> CreateAsync(
        string name, string role, DateTimeOffset? expiresAt, string createdBy, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        var (id, token) = ApiKeyToken.Generate();
        var now = time.GetUtcNow();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO auth.api_keys (id, name, role, secret_hash, created_at, created_by, expires_at)
            VALUES (@id, @name, @role, @hash, @now, @by, @expires)
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("name", name);
        insert.Parameters.AddWithValue("role", role);
        insert.Parameters.AddWithValue("hash", ApiKeyToken.Hash(token));
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("by", createdBy);
        insert.Parameters.AddWithValue("expires", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)expiresAt ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return (new ApiKeyRecord(id, name, role, now, createdBy, expiresAt, null, null, null), token);
    }

    /// <summary>The key and its stored hash, for authentication; null when there is no such id.</summary>
    public async Task<(ApiKeyRecord Key, byte[] SecretHash)?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns}, secret_hash FROM auth.api_keys WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (Read(reader), reader.GetFieldValue<byte[]>(9)) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM auth.api_keys ORDER BY created_at, id");
        var keys = new List<ApiKeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }
        return keys;
    }

    /// <summary>
    /// A replacement with the same name, role and lifetime; the old key keeps working until the grace ends. Null
    /// when the key does not exist or is revoked or already replaced.
    /// </summary>
    public async Task<(ApiKeyRecord Old, ApiKeyRecord New, string Token)?> RotateAsync(
        string id, TimeSpan grace, string rotatedBy, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ApiKeyRecord old;
        await using (var select = new NpgsqlCommand($"SELECT {Columns} FROM auth.api_keys WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", id);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            old = Read(reader);
        }
        if (old.RejectionAt(time.GetUtcNow()) is not null || old.ReplacedBy is not null)
        {
            return null;
        }
        var lifetime = old.ExpiresAt - old.CreatedAt;
        var (created, token) = await CreateAsync(old.Name, old.Role, time.GetUtcNow() + lifetime, rotatedBy, connection, transaction, cancellationToken);
        var graceUntil = time.GetUtcNow() + grace;
        await using (var update = new NpgsqlCommand("UPDATE auth.api_keys SET replaced_by = @new, grace_until = @grace WHERE id = @id", connection, transaction))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("new", created.Id);
            update.Parameters.AddWithValue("grace", graceUntil);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        return (old with { ReplacedBy = created.Id, GraceUntil = graceUntil }, created, token);
    }

    /// <summary>Revokes at once; false when there is no such key or it is already revoked.</summary>
    public async Task<bool> RevokeAsync(string id, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("UPDATE auth.api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL", connection, transaction);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static ApiKeyRecord Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));
}
