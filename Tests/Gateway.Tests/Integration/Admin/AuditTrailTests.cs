using Microsoft.Extensions.Time.Testing;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class AuditTrailTests
{
    private static AuditEntry Entry(int i) => new("key:abc (ops)", "operator", "conversation.read", $"conversation/conv_{i}", $"conv_{i}",
        "127.0.0.1", "4bf92f3577b34da6a3ce929d0e0e4736", new Dictionary<string, string?> { ["fields"] = "analysis", ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task AnUntouchedChainVerifies()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        for (var i = 1; i <= 5; i++)
        {
            await trail.AppendAsync(Entry(i), CancellationToken.None);
        }

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(5, result.RecordsChecked);
        Assert.Equal(5, result.LastId);
    }

    [Fact]
    public async Task ConcurrentAppendsFormOneUnforkedChain()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await trail.AppendAsync(Entry(w * 100 + i), CancellationToken.None);
            }
        })));

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(160, result.RecordsChecked);
        await using var distinct = db.CreateCommand("SELECT count(DISTINCT prev_hash) FROM audit.log");
        Assert.Equal(160L, await distinct.ExecuteScalarAsync());
    }

    [Fact]
    public async Task UpdateDeleteAndTruncateAreRefused()
    {
        await using var chain = await AuditChain.CreateAsync();
        var db = chain.Db;
        await chain.Trail.AppendAsync(Entry(1), CancellationToken.None);

        foreach (var sql in new[] { "UPDATE audit.log SET action = 'x'", "DELETE FROM audit.log", "TRUNCATE audit.log" })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => AdminDatabase.ExecuteAsync(db, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        }
        Assert.True((await chain.Verifier.VerifyAsync(CancellationToken.None)).Valid);
    }

    [Fact]
    public async Task ChangingOneRowInSqlIsReportedAtExactlyThatRow()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        for (var i = 1; i <= 6; i++)
        {
            await trail.AppendAsync(Entry(i), CancellationToken.None);
        }

        // An attacker with database access turns the trigger off, edits a record, and turns it back on.
        await AdminDatabase.ExecuteAsync(db, """
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            UPDATE audit.log SET actor = 'someone-else' WHERE id = 3;
            ALTER TABLE audit.log ENABLE TRIGGER log_append_only;
            """);

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(result.Valid);
        Assert.Equal(3, result.FirstBrokenId);
        Assert.Contains("changed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RehashingAChangedRowIsCaughtAtTheNextRow()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        for (var i = 1; i <= 5; i++)
        {
            await trail.AppendAsync(Entry(i), CancellationToken.None);
        }
        await AdminDatabase.ExecuteAsync(db, """
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            UPDATE audit.log SET hash = repeat('a', 64) WHERE id = 2;
            ALTER TABLE audit.log ENABLE TRIGGER log_append_only;
            """);

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.Equal(2, result.FirstBrokenId);
    }

    [Fact]
    public async Task DeletingAMiddleRowOrTheTailIsReported()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        for (var i = 1; i <= 6; i++)
        {
            await trail.AppendAsync(Entry(i), CancellationToken.None);
        }
        await AdminDatabase.ExecuteAsync(db, """
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            DELETE FROM audit.log WHERE id = 6;
            ALTER TABLE audit.log ENABLE TRIGGER log_append_only;
            """);
        var tail = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.False(tail.Valid);
        Assert.Equal(6, tail.FirstBrokenId);

        await AdminDatabase.ExecuteAsync(db, """
            ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
            DELETE FROM audit.log WHERE id = 4;
            ALTER TABLE audit.log ENABLE TRIGGER log_append_only;
            """);
        var middle = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.Equal(5, middle.FirstBrokenId);
        Assert.Contains("4..4", middle.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePurgeFunctionRemovesOnlyRecordsOlderThanTheRetentionAndTheRestStillVerifies()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-4 * 365));
        await using var chain = await AuditChain.CreateAsync(clock, auditDays: 912);
        for (var i = 1; i <= 4; i++)
        {
            await chain.Trail.AppendAsync(Entry(i), CancellationToken.None);
            clock.Advance(TimeSpan.FromDays(365));
        }

        // Records written 4, 3, 2 and 1 years ago; a retention of 2.5 years removes the first two.
        await using (var purge = chain.Db.CreateCommand("SELECT audit.purge_expired(@days)"))
        {
            purge.Parameters.AddWithValue("days", 912);
            Assert.Equal(2L, await purge.ExecuteScalarAsync());
        }
        await chain.Trail.AppendAsync(Entry(5), CancellationToken.None);

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(3, result.RecordsChecked);
    }

    [Fact]
    public async Task AnAppendRolledBackWithItsTransactionLeavesNoTrace()
    {
        await using var chain = await AuditChain.CreateAsync();
        var (db, trail) = (chain.Db, chain.Trail);
        await using (var connection = await db.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await trail.AppendAsync(Entry(1), connection, transaction, CancellationToken.None);
            await transaction.RollbackAsync();
        }
        await trail.AppendAsync(Entry(2), CancellationToken.None);

        var result = await chain.Verifier.VerifyAsync(CancellationToken.None);
        Assert.True(result.Valid, result.Reason);
        Assert.Equal(1, result.LastId);
    }
}
