using System.Data.Common;
using Npgsql;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// Appends to and reads the hash-chained <c>audit.log</c>, each record keyed with the chain key. Appends lock the chain head, so they are serialised
/// across every connection and gateway and the chain never forks; an append inside a caller's transaction
/// commits or rolls back with the change it records.
/// </summary>
public sealed class AuditTrail(NpgsqlDataSource dataSource, AuditChainKey chainKey, TimeProvider time)
{
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var record = await AppendAsync(entry, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>Appends within <paramref name="transaction"/>; the head stays locked until it ends, so keep it short.</summary>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long lastId;
        string lastHash;
        await using (var head = new NpgsqlCommand("SELECT last_id, last_hash FROM audit.chain_head FOR UPDATE", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("audit.chain_head is missing: the audit schema is not migrated.");
            }
            lastId = reader.GetInt64(0);
            lastHash = reader.GetString(1);
        }

        var unhashed = new AuditRecord(
            lastId + 1, AuditHasher.Truncate(time.GetUtcNow()), entry.Actor, entry.Role, entry.Action, entry.Target,
            entry.ConversationId, entry.SourceIp, entry.TraceId, AuditHasher.CanonicalDetails(entry.Details), lastHash, "");
        var record = unhashed with { Hash = AuditHasher.Hash(unhashed, chainKey) };

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO audit.log (id, occurred_at, actor, role, action, target, conversation_id, source_ip, trace_id, details, prev_hash, hash)
            VALUES (@id, @at, @actor, @role, @action, @target, @conversation, @ip, @trace, @details, @prev, @hash);
            UPDATE audit.chain_head SET last_id = @id, last_hash = @hash;
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", record.Id);
            insert.Parameters.AddWithValue("at", record.OccurredAt);
            insert.Parameters.AddWithValue("actor", record.Actor);
            insert.Parameters.AddWithValue("role", record.Role);
            insert.Parameters.AddWithValue("action", record.Action);
            insert.Parameters.AddWithValue("target", (object?)record.Target ?? DBNull.Value);
            insert.Parameters.AddWithValue("conversation", (object?)record.ConversationId ?? DBNull.Value);
            insert.Parameters.AddWithValue("ip", (object?)record.SourceIp ?? DBNull.Value);
            insert.Parameters.AddWithValue("trace", (object?)record.TraceId ?? DBNull.Value);
            insert.Parameters.AddWithValue("details", record.Details);
            insert.Parameters.AddWithValue("prev", record.PrevHash);
            insert.Parameters.AddWithValue("hash", record.Hash);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        return record;
    }

    /// <summary>Records matching the filter, newest first, at most <paramref name="limit"/>, with ids below <paramref name="beforeId"/>.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(
        string? conversationId, string? action, DateTimeOffset? from, DateTimeOffset? to, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM audit.log
            WHERE (@conversation::text IS NULL OR conversation_id = @conversation)
              AND (@action::text IS NULL OR action = @action)
              AND (@from::timestamptz IS NULL OR occurred_at >= @from)
              AND (@to::timestamptz IS NULL OR occurred_at < @to)
              AND (@before::bigint IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """);
        command.Parameters.AddWithValue("conversation", NpgsqlTypes.NpgsqlDbType.Text, (object?)conversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("action", NpgsqlTypes.NpgsqlDbType.Text, (object?)action ?? DBNull.Value);
        command.Parameters.AddWithValue("from", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)from ?? DBNull.Value);
        command.Parameters.AddWithValue("to", NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)to ?? DBNull.Value);
        command.Parameters.AddWithValue("before", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)beforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("limit", limit);
        var records = new List<AuditRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Read(reader));
        }
        return records;
    }

    internal const string Columns = "id, occurred_at, actor, role, action, target, conversation_id, source_ip, trace_id, details, prev_hash, hash";

    internal static AuditRecord Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetString(9),
        reader.GetString(10),
        reader.GetString(11));
}
