using Npgsql;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// Walks <c>audit.log</c> in id order from the anchor (genesis, or the last record a retention purge removed)
/// and recomputes every hash: a changed field breaks that record's hash, a removed record breaks its
/// successor's link, a removed tail no longer reaches the head.
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource dataSource)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for head and rows, so appends running meanwhile do not look like a broken tail.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long headId, anchorId;
        string headHash, anchorHash;
        await using (var head = new NpgsqlCommand("SELECT last_id, last_hash, anchor_id, anchor_hash FROM audit.chain_head", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (headId, headHash, anchorId, anchorHash) = (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3));
        }

        var expectedId = anchorId + 1;
        var expectedPrev = anchorHash;
        long checkedCount = 0;
        await using (var rows = new NpgsqlCommand($"SELECT {AuditTrail.Columns} FROM audit.log ORDER BY id", connection, transaction))
        await using (var reader = await rows.ExecuteReaderAsync(cancellationToken))
        {
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
                if (!string.Equals(AuditHasher.Hash(record), record.Hash, StringComparison.Ordinal))
                {
                    return Broken(record.Id, "content does not match its hash (the record was changed)");
                }
                checkedCount++;
                expectedId = record.Id + 1;
                expectedPrev = record.Hash;
            }
        }
        if (expectedId - 1 != headId || !string.Equals(expectedPrev, headHash, StringComparison.Ordinal))
        {
            return Broken(expectedId, $"the chain ends at record {expectedId - 1} but the head says {headId}: later records are missing");
        }
        return new AuditVerification(true, checkedCount, null, null, headId);

        AuditVerification Broken(long id, string reason) => new(false, checkedCount, id, reason, headId);
    }
}
