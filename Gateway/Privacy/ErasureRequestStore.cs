using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary><c>ingest.erasure_requests</c> and the owners' reports: the durable state of every erasure until each owner has reported.</summary>
public sealed class ErasureRequestStore(NpgsqlDataSource dataSource, ErasureTombstones tombstones, IOptions<ErasureOptions> options, TimeProvider time)
{
    /// <summary>
    /// Records a pending erasure inside the caller's transaction (the one that removes the gateway's own rows), so
    /// either both happen or neither. The first attempt is the caller's: the worker leaves it alone for a lease.
    /// </summary>
    public async Task<Guid> CreateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string reason, string requestedBy, IReadOnlyList<string> conversationIds,
        IReadOnlyDictionary<string, long> gatewayRemoved, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7(time.GetUtcNow());
        var now = time.GetUtcNow();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO ingest.erasure_requests
                (id, reason, requested_by, conversation_ids, conversation_hashes, gateway_removed, next_attempt_at, created_at)
            VALUES (@id, @reason, @requestedBy, @ids, @hashes, @removed, @nextAttempt, @now);
            INSERT INTO ingest.erasure_owner_reports (request_id, owner) SELECT @id, unnest(@owners);
            """, connection, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("reason", reason);
        insert.Parameters.AddWithValue("requestedBy", requestedBy);
        insert.Parameters.AddWithValue("ids", conversationIds.ToArray());
        insert.Parameters.AddWithValue("hashes", conversationIds.Select(tombstones.HashOf).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("removed", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(gatewayRemoved) });
        insert.Parameters.AddWithValue("nextAttempt", now + options.Value.Lease);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("owners", ErasureOwners.All.ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    public async Task<ErasureRequest?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var owners = new List<OwnerErasureReport>();
        await using (var select = new NpgsqlCommand(
            "SELECT owner, removed, reported_at, attempts, last_error FROM ingest.erasure_owner_reports WHERE request_id = @id ORDER BY owner", connection))
        {
            select.Parameters.AddWithValue("id", id);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                owners.Add(new OwnerErasureReport(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : Counts(reader.GetString(1)),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }
        await using var request = new NpgsqlCommand("""
            SELECT reason, state = 'done', coalesce(conversation_ids, '{}'), cardinality(conversation_hashes), gateway_removed, attempts, created_at, completed_at
            FROM ingest.erasure_requests WHERE id = @id
            """, connection);
        request.Parameters.AddWithValue("id", id);
        await using var row = await request.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new ErasureRequest(
            id, row.GetString(0), row.GetBoolean(1), row.GetFieldValue<string[]>(2), row.GetInt32(3), Counts(row.GetString(4)), owners,
            row.GetInt32(5), row.GetFieldValue<DateTimeOffset>(6), row.IsDBNull(7) ? null : row.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>
    /// Pending requests whose next attempt is due, each taken for a lease (so gateways running side by side do not
    /// ask the owners twice at once); the caller attempts them.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var claim = dataSource.CreateCommand("""
            UPDATE ingest.erasure_requests SET next_attempt_at = @leaseUntil
            WHERE id IN (SELECT id FROM ingest.erasure_requests WHERE state = 'pending' AND next_attempt_at <= @now
                         ORDER BY next_attempt_at LIMIT @limit FOR UPDATE SKIP LOCKED)
            RETURNING id
            """);
        claim.Parameters.AddWithValue("now", now);
        claim.Parameters.AddWithValue("leaseUntil", now + options.Value.Lease);
        claim.Parameters.AddWithValue("limit", limit);
        var ids = new List<Guid>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    public async Task RecordReportAsync(Guid id, string owner, IReadOnlyDictionary<string, long> removed, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand("""
            UPDATE ingest.erasure_owner_reports SET removed = @removed, reported_at = @now, attempts = attempts + 1, last_error = NULL
            WHERE request_id = @id AND owner = @owner AND reported_at IS NULL
            """);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("owner", owner);
        update.Parameters.Add(new NpgsqlParameter("removed", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(removed) });
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordFailureAsync(Guid id, string owner, string error, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand("""
            UPDATE ingest.erasure_owner_reports SET attempts = attempts + 1, last_error = @error
            WHERE request_id = @id AND owner = @owner AND reported_at IS NULL
            """);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("owner", owner);
        update.Parameters.AddWithValue("error", error);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An attempt left an owner pending: the next one after an exponential backoff, capped.</summary>
    public async Task ScheduleRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand("""
            UPDATE ingest.erasure_requests SET attempts = attempts + 1, next_attempt_at = @now + least(@max, @base * power(2, least(attempts, 30)))
            WHERE id = @id AND state = 'pending'
            """);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        update.Parameters.AddWithValue("base", options.Value.RetryBaseDelay);
        update.Parameters.AddWithValue("max", options.Value.RetryMaxDelay);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks the request done, and forgets its conversation ids, inside the caller's transaction (the one that
    /// audits the completion); false when an owner has not reported yet or another caller completed it first.
    /// </summary>
    public async Task<bool> CompleteAsync(Guid id, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE ingest.erasure_requests r SET state = 'done', conversation_ids = NULL, completed_at = @now
            WHERE r.id = @id AND r.state = 'pending'
              AND NOT EXISTS (SELECT FROM ingest.erasure_owner_reports o WHERE o.request_id = r.id AND o.reported_at IS NULL)
            """, connection, transaction);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static Dictionary<string, long> Counts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
}
