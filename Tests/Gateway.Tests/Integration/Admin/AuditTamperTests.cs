using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>What someone with write access to the database can try against the audit trail: each is refused or reported.</summary>
public sealed class AuditTamperTests
{
    private static AuditEntry Entry(int i) => new("key:abc (ops)", "operator", "conversation.read", $"conversation/conv_{i}", $"conv_{i}",
        "127.0.0.1", null, new Dictionary<string, string?> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static async Task AppendAsync(AuditChain chain, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            await chain.Trail.AppendAsync(Entry(i), CancellationToken.None);
        }
    }

    [Fact]
    public async Task ARewrittenRecordRehashedWithTheProjectsOwnHasherDoesNotVerify()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 5);

        // The attacker changes record 3 and recomputes every hash from there, with the code in this repository
        // (plain SHA-256: they do not have the chain key), then moves the head to match.
        var records = (await chain.Trail.ListAsync(null, null, null, null, null, 100, CancellationToken.None)).OrderBy(r => r.Id).ToList();
        var prev = records[1].Hash;
        await chain.ExecuteAsync("ALTER TABLE audit.log DISABLE TRIGGER log_append_only");
        foreach (var record in records.Skip(2))
        {
            var changed = (record.Id == 3 ? record with { Actor = "someone-else" } : record) with { PrevHash = prev };
            var hash = AuditHasher.LegacyHash(changed);
            await using var update = chain.Db.CreateCommand("UPDATE audit.log SET actor = $1, prev_hash = $2, hash = $3 WHERE id = $4");
            update.Parameters.Add(new NpgsqlParameter { Value = changed.Actor });
            update.Parameters.Add(new NpgsqlParameter { Value = prev });
            update.Parameters.Add(new NpgsqlParameter { Value = hash });
            update.Parameters.Add(new NpgsqlParameter { Value = record.Id });
            await update.ExecuteNonQueryAsync();
            prev = hash;
        }
        await chain.ExecuteAsync($"ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only; UPDATE audit.chain_head SET last_hash = '{prev}'");

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBrokenId);
    }

    [Fact]
    public async Task ARecordDeletedBelowTheLastCheckpointIsReportedByTheIncrementalAndTheFullWalk()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 6);
        var first = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(first.Valid, first.Reason);
        await AppendAsync(chain, 7, 8);

        // Only what was appended since the checkpoint is walked again.
        var incremental = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(incremental.Valid, incremental.Reason);
        Assert.Equal(2, incremental.RecordsChecked);
        Assert.Equal(7, incremental.VerifiedFromId);

        await chain.ExecuteAsync("""
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            DELETE FROM audit.log WHERE id = 4;
            ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only;
            """);
        var full = await chain.Verifier.VerifyAsync(full: true, CancellationToken.None);
        Assert.False(full.Valid);
        Assert.Equal(5, full.FirstBrokenId);

        // The record the checkpoint names is removed too: even the incremental walk sees it.
        await chain.ExecuteAsync("""
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            DELETE FROM audit.log WHERE id = 8;
            ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only;
            """);
        var after = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(after.Valid);
        Assert.Equal(8, after.FirstBrokenId);
    }

    [Fact]
    public async Task ThePurgeFunctionCannotBeAskedToRemoveRecentRecords()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 4);

        // The old function that took any cutoff (now() + 1 day removed everything) is gone.
        var old = await Assert.ThrowsAsync<PostgresException>(() => chain.ExecuteAsync("SELECT audit.purge_before(now() + interval '1 day')"));
        Assert.Equal(PostgresErrorCodes.UndefinedFunction, old.SqlState);
        var shortRetention = await Assert.ThrowsAsync<PostgresException>(() => chain.ExecuteAsync("SELECT audit.purge_expired(0)"));
        Assert.Equal(PostgresErrorCodes.InvalidParameterValue, shortRetention.SqlState);
        await chain.ExecuteAsync("SELECT audit.purge_expired(365)");

        await using var count = chain.Db.CreateCommand("SELECT count(*) FROM audit.log");
        Assert.Equal(4L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task PurgingEverythingBehindTheFunctionsBackIsReportedFromTheCheckpointOutsideTheDatabase()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 5);
        Assert.True((await chain.Verifier.VerifyAsync(CancellationToken.None)).Valid);

        // The table owner deletes every record and every checkpoint in the database, then moves the anchor to the
        // head so that the empty chain looks like a retention purge.
        await chain.ExecuteAsync("""
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            DELETE FROM audit.log;
            ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only;
            DELETE FROM audit.checkpoints;
            UPDATE audit.chain_head SET anchor_id = last_id, anchor_hash = last_hash;
            """);

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(result.Valid);
        Assert.Contains("younger than the audit retention", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSessionSettingOpensTheAppendOnlyTrigger()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 3);

        foreach (var sql in new[]
        {
            "BEGIN; SET LOCAL audit.purging = 'on'; DELETE FROM audit.log; COMMIT;",
            "BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM audit.log; COMMIT;",
            "BEGIN; SET LOCAL session_replication_role = replica; UPDATE audit.log SET actor = 'x'; COMMIT;",
            "BEGIN; INSERT INTO audit.purge_in_progress VALUES (txid_current() + 1); DELETE FROM audit.log; COMMIT;",
            "UPDATE audit.chain_head SET last_id = 0",
        })
        {
            await using var connection = await chain.Db.OpenConnectionAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        }
        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(3, result.RecordsChecked);
    }

    [Fact]
    public async Task OnlyTheOwnerMayRunTheSecurityDefinerFunctions()
    {
        await using var chain = await AuditChain.CreateAsync();
        var role = $"intruder_{Guid.NewGuid():N}";
        await chain.ExecuteAsync($"CREATE ROLE {role}; GRANT USAGE ON SCHEMA audit TO {role}; GRANT SELECT, DELETE ON audit.log TO {role};");
        await using var connection = await chain.Db.OpenConnectionAsync();
        await using var command = new NpgsqlCommand($"SET ROLE {role}; SELECT audit.purge_expired(365);", connection);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);

        await using var definers = chain.Db.CreateCommand("""
            SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND n.nspname = 'audit' AND has_function_privilege('public', p.oid, 'EXECUTE')
            """);
        Assert.Equal(0L, await definers.ExecuteScalarAsync());
    }

    [Fact]
    public async Task AForgedCheckpointIsReported()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 3);
        Assert.True((await chain.Verifier.VerifyAsync(CancellationToken.None)).Valid);
        await chain.ExecuteAsync("INSERT INTO audit.checkpoints (chain_id, created_at, last_id, last_hash, anchor_id, legacy_last_id, mac) SELECT chain_id, now(), 99, 'x', 0, 0, 'forged' FROM audit.chain_head");

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(result.Valid);
        Assert.Contains("not signed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEditedCheckpointFileIsReported()
    {
        await using var chain = await AuditChain.CreateAsync();
        await AppendAsync(chain, 1, 3);
        Assert.True((await chain.Verifier.VerifyAsync(CancellationToken.None)).Valid);
        var file = Directory.GetFiles(chain.CheckpointDirectory, "*.json").Single();
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("\"LastId\":3", "\"LastId\":2", StringComparison.Ordinal));

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(result.Valid);
    }
}
