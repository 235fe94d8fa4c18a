using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Privacy;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// Walks <c>audit.log</c> in id order and recomputes every hash: a changed field breaks that record's hash, a
/// removed record breaks its successor's link, a removed tail no longer reaches the head. Records are keyed
/// (HMAC under a key the database does not hold), so a database writer cannot re-hash what they changed.
/// The walk starts at the latest signed checkpoint (only records appended since are read), which must still
/// hold: its record present with its hash, or removed by a purge that respected the audit retention.
/// </summary>
public sealed class AuditChainVerifier(
    NpgsqlDataSource dataSource, AuditChainKey key, AuditCheckpointStore checkpoints, IOptions<RetentionOptions> retention, TimeProvider time)
{
    /// <summary>Verifies the records appended since the last checkpoint.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(full: false, cancellationToken);

    /// <summary>Verifies the records appended since the last checkpoint, or (<paramref name="full"/>) the whole chain from its anchor.</summary>
    public async Task<AuditVerification> VerifyAsync(bool full, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for head and rows, so appends running meanwhile do not look like a broken tail.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long headId, anchorId, legacyLastId;
        string headHash, anchorHash;
        DateTimeOffset? anchorAt;
        Guid chainId;
        await using (var head = new NpgsqlCommand(
            "SELECT last_id, last_hash, anchor_id, anchor_hash, legacy_last_id, anchor_at, chain_id FROM audit.chain_head", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (headId, headHash, anchorId, anchorHash, legacyLastId) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetInt64(4));
            anchorAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5);
            chainId = reader.GetGuid(6);
        }

        AuditCheckpoint? checkpoint;
        try
        {
            checkpoint = await checkpoints.LatestAsync(chainId, connection, transaction, cancellationToken);
        }
        catch (AuditCheckpointForgedException ex)
        {
            return new AuditVerification(false, 0, ex.LastId, ex.Message, headId);
        }

        var horizon = time.GetUtcNow().AddDays(-retention.Value.AuditDays);
        if (anchorId > 0 && anchorAt is { } purgedUpTo && purgedUpTo >= horizon)
        {
            return new AuditVerification(false, 0, anchorId, $"records up to {anchorId} were purged before the audit retention ended", headId);
        }
        var expectedId = anchorId + 1;
        var expectedPrev = anchorHash;
        if (checkpoint is not null)
        {
            if (checkpoint.LegacyLastId != legacyLastId)
            {
                return new AuditVerification(false, 0, checkpoint.LastId, "the boundary of the unkeyed records moved since the last checkpoint", headId);
            }
            if (checkpoint.LastId > headId)
            {
                return new AuditVerification(false, 0, headId + 1,
                    $"the last checkpoint reached record {checkpoint.LastId} but the head says {headId}: records were removed", headId);
            }
            if (checkpoint.LastId <= anchorId)
            {
                // Purged past the checkpoint: legitimate only if its last record had outlived the retention.
                if (anchorId > checkpoint.AnchorId && checkpoint.LastAt is { } lastAt && lastAt >= horizon)
                {
                    return new AuditVerification(false, 0, checkpoint.LastId,
                        $"records up to {anchorId} were removed although record {checkpoint.LastId} was younger than the audit retention", headId);
                }
            }
            else
            {
                await using var at = new NpgsqlCommand("SELECT hash FROM audit.log WHERE id = @id", connection, transaction);
                at.Parameters.AddWithValue("id", checkpoint.LastId);
                if (await at.ExecuteScalarAsync(cancellationToken) is not string hash || !string.Equals(hash, checkpoint.LastHash, StringComparison.Ordinal))
                {
                    return new AuditVerification(false, 0, checkpoint.LastId,
                        $"record {checkpoint.LastId} was removed or changed since the last checkpoint", headId);
                }
                if (!full)
                {
                    expectedId = checkpoint.LastId + 1;
                    expectedPrev = checkpoint.LastHash;
                }
            }
        }

        var fromId = expectedId;
        long checkedCount = 0;
        AuditRecord? last = null;
        await using (var rows = new NpgsqlCommand($"SELECT {AuditTrail.Columns} FROM audit.log WHERE id >= @from ORDER BY id", connection, transaction))
        {
            // A full walk also reads what lies below the anchor: such a record should have gone with the purge.
            rows.Parameters.AddWithValue("from", expectedId == anchorId + 1 ? 0L : expectedId);
            await using var reader = await rows.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var record = AuditTrail.Read(reader);
                if (record.Id != expectedId)
                {
                    return Broken(record.Id, record.Id < expectedId
                        ? $"record {record.Id} precedes the anchor {anchorId}: it should have been purged with it"
                        : $"records {expectedId}..{record.Id - 1} are missing");
                }
                if (!string.Equals(record.PrevHash, expectedPrev, StringComparison.Ordinal))
                {
                    return Broken(record.Id, "prev_hash does not match the previous record's hash");
                }
                var expected = record.Id <= legacyLastId ? AuditHasher.LegacyHash(record) : AuditHasher.Hash(record, key);
                if (!string.Equals(expected, record.Hash, StringComparison.Ordinal))
                {
                    return Broken(record.Id, "content does not match its hash (the record was changed)");
                }
                checkedCount++;
                expectedId = record.Id + 1;
                expectedPrev = record.Hash;
                last = record;
            }
        }
        if (expectedId - 1 != headId || !string.Equals(expectedPrev, headHash, StringComparison.Ordinal))
        {
            return Broken(expectedId, $"the chain ends at record {expectedId - 1} but the head says {headId}: later records are missing");
        }
        await transaction.CommitAsync(cancellationToken);
        if (last is not null || checkpoint is null)
        {
            await checkpoints.SaveAsync(chainId, time.GetUtcNow(), last, anchorId, anchorHash, legacyLastId, cancellationToken);
        }
        return new AuditVerification(true, checkedCount, null, null, headId, fromId);

        AuditVerification Broken(long id, string reason) => new(false, checkedCount, id, reason, headId, fromId);
    }
}
