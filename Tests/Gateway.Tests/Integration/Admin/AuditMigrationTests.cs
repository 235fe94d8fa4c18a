using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class AuditMigrationTests
{
    [Fact]
    public async Task RecordsWrittenBeforeTheChainWasKeyedStillVerifyAndAreSealedByTheFirstKeyedRecord()
    {
        var pg = await ThrowawayPostgres.Shared;
        await using var db = NpgsqlDataSource.Create(await pg.CreateDatabaseAsync("audit_migration"));
        var migrations = new MigrationSet("ingest", typeof(AuditTrail).Assembly).Load();
        foreach (var (_, sql) in migrations.Where(m => string.CompareOrdinal(m.Version.TrimStart('_'), "104") < 0))
        {
            await AdminDatabase.ExecuteAsync(db, "CREATE SCHEMA IF NOT EXISTS ingest; SET search_path TO ingest, public;\n" + sql);
        }

        // Three records as the unkeyed chain wrote them (plain SHA-256).
        var prev = AuditHasher.GenesisHash;
        var time = AuditHasher.Truncate(DateTimeOffset.UtcNow);
        for (var id = 1L; id <= 3; id++)
        {
            var unhashed = new AuditRecord(id, time, "key:old (ops)", "operator", "conversation.read", null, null, null, null, "{}", prev, "");
            var hash = AuditHasher.LegacyHash(unhashed);
            await using (var insert = db.CreateCommand(
                "INSERT INTO audit.log (id, occurred_at, actor, role, action, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
            {
                foreach (var value in new object[] { id, time, unhashed.Actor, unhashed.Role, unhashed.Action, unhashed.Details, prev, hash })
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = value });
                }
                await insert.ExecuteNonQueryAsync();
            }
            await AdminDatabase.ExecuteAsync(db, $"UPDATE audit.chain_head SET last_id = {id}, last_hash = '{hash}'");
            prev = hash;
        }

        foreach (var (_, sql) in migrations.Where(m => string.CompareOrdinal(m.Version.TrimStart('_'), "104") >= 0))
        {
            await AdminDatabase.ExecuteAsync(db, "SET search_path TO ingest, public;\n" + sql);
        }
        var key = new AuditChainKey(RandomNumberGenerator.GetBytes(32));
        var folder = Path.Combine(Path.GetTempPath(), $"va-audit-{Guid.NewGuid():N}");
        try
        {
            var verifier = new AuditChainVerifier(db, key,
                new AuditCheckpointStore(db, key, Options.Create(new AuditOptions { CheckpointDirectory = folder }), NullLogger<AuditCheckpointStore>.Instance),
                Options.Create(new RetentionOptions()), TimeProvider.System);
            await new AuditTrail(db, key, TimeProvider.System).AppendAsync(new AuditEntry("system", "system", "keyed"), CancellationToken.None);

            var migrated = await verifier.VerifyAsync(full: true, CancellationToken.None);
            Assert.True(migrated.Valid, migrated.Reason);
            Assert.Equal(4, migrated.RecordsChecked);

            // A legacy record rewritten and the legacy part re-hashed: the keyed record 4 no longer links to it.
            await AdminDatabase.ExecuteAsync(db, "ALTER TABLE audit.log DISABLE TRIGGER log_append_only");
            var old = new AuditRecord(3, time, "key:old (ops)", "operator", "conversation.read", null, null, null, null, "{}", "", "");
            await using (var read = db.CreateCommand("SELECT prev_hash FROM audit.log WHERE id = 3"))
            {
                old = old with { PrevHash = (string)(await read.ExecuteScalarAsync())!, Actor = "someone-else" };
            }
            await using (var rewrite = db.CreateCommand("UPDATE audit.log SET actor = $1, hash = $2 WHERE id = 3"))
            {
                rewrite.Parameters.Add(new NpgsqlParameter { Value = old.Actor });
                rewrite.Parameters.Add(new NpgsqlParameter { Value = AuditHasher.LegacyHash(old) });
                await rewrite.ExecuteNonQueryAsync();
            }
            await AdminDatabase.ExecuteAsync(db, "ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only");

            var tampered = await verifier.VerifyAsync(full: true, CancellationToken.None);
            Assert.False(tampered.Valid);
            Assert.Equal(4, tampered.FirstBrokenId);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
