using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Source addresses are kept in clear for <see cref="RetentionOptions.SourceAddressDays"/> (7 days: long enough to
/// handle abuse), then replaced by their keyed hash (<c>hmac:</c> + HMAC-SHA256 under a key derived from the privacy
/// hash key), so that the same address still reads the same in a report without being recoverable. One step of the
/// retention run, audited when it hashed anything.
/// </summary>
public sealed class SourceAddressHasher(NpgsqlDataSource dataSource, PiiKeyRing keyRing, AuditTrail audit, IOptions<RetentionOptions> options, TimeProvider time)
{
    public const string Actor = "system:retention";
    public const string HashPrefix = "hmac:";
    private const int BatchSize = 1000;
    private static readonly byte[] DerivationLabel = Encoding.ASCII.GetBytes("VoiceAnalytics source addresses v1");

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyRing.HashKey, 32, salt: [], info: DerivationLabel);

    /// <summary>The stored form of <paramref name="address"/> once its clear days are over.</summary>
    public string HashOf(string address) =>
        HashPrefix + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(address)));

    /// <summary>Hashes every address older than the cutoff; returns how many were.</summary>
    public async Task<long> HashExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.SourceAddressDays);
        long total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<(long Id, string Address)>();
            await using (var select = new NpgsqlCommand("""
                SELECT id, source_address FROM ingest.lineage
                WHERE source_address IS NOT NULL AND source_address_hashed_at IS NULL AND occurred_at < @cutoff
                ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
                """, connection, transaction))
            {
                select.Parameters.AddWithValue("cutoff", cutoff);
                select.Parameters.AddWithValue("limit", BatchSize);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            if (rows.Count == 0)
            {
                break;
            }
            await using (var update = new NpgsqlCommand("""
                UPDATE ingest.lineage l SET source_address = u.hash, source_address_hashed_at = @now
                FROM unnest(@ids, @hashes) AS u(id, hash) WHERE l.id = u.id
                """, connection, transaction))
            {
                update.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
                update.Parameters.AddWithValue("hashes", rows.Select(r => HashOf(r.Address)).ToArray());
                update.Parameters.AddWithValue("now", now);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            total += rows.Count;
        }
        if (total > 0)
        {
            await audit.AppendAsync(new AuditEntry(Actor, "system", "retention.source_address_hash", "ingest.lineage", Details: new Dictionary<string, string?>
            {
                ["cutoff"] = cutoff.ToString("O", CultureInfo.InvariantCulture),
                ["hashed"] = total.ToString(CultureInfo.InvariantCulture),
            }), cancellationToken);
        }
        return total;
    }
}
