using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class RetentionTests
{
    [Fact]
    public async Task EachDataClassIsPurgedWhenItsRetentionPassesAndEveryRunIsAudited()
    {
        var start = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(start);
        // The gateway's own database only: the owners (fakes here) erase the analysis and CRM data.
        await using var host = await AdminHost.StartAsync(clock, ownerSchemas: false);
        var purger = host.Services.GetRequiredService<RetentionPurger>();

        await host.PostWebhookAsync(Seed.Fixture("conv_old_a"));
        var eventA = await host.ScalarAsync("SELECT id FROM ingest.webhook_events WHERE conversation_id = 'conv_old_a'");
        await host.ExecuteAsync("INSERT INTO ingest.recordings (event_id, conversation_id, content_type, byte_length, audio, created_at) VALUES ($1, 'conv_old_a', 'audio/mpeg', 3, '\\x010203', $2)",
            eventA, start.UtcDateTime);

        // Day 10: nothing is old enough; an empty run leaves no audit noise.
        clock.Advance(TimeSpan.FromDays(10));
        Assert.All(await purger.PurgeAsync(CancellationToken.None), removed => Assert.Equal(0, removed.Value));
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'retention.purge'"));

        // Day 31: the recording (30 days) goes, the transcript stays.
        clock.Advance(TimeSpan.FromDays(21));
        var first = await purger.PurgeAsync(CancellationToken.None);
        Assert.Equal(1, first["ingest.recordings"]);
        Assert.Equal(0, first["ingest.webhook_events"]);
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = 'conv_old_a'"));

        await host.PostWebhookAsync(Seed.Fixture("conv_new_b", "+79161234567", "Мария Сидорова"));
        Assert.Empty(host.Pipeline.Erasures);

        // Day 366: conversation A's transcript goes, and its owners are asked to erase the rest; B (335 days old) stays.
        clock.Advance(TimeSpan.FromDays(335));
        var second = await purger.PurgeAsync(CancellationToken.None);
        Assert.Equal(1, second["ingest.webhook_events"]);
        Assert.Equal(1, second["analysis.analyses"]);
        Assert.Equal(1, second["crm.exports"]);
        Assert.Equal(1, second["markdown_sections"]);
        Assert.Equal(["analysis:retention:conv_old_a", "crm:retention:conv_old_a"], host.Pipeline.Erasures.Order(StringComparer.Ordinal));
        Assert.Empty(await DatabaseSearch.FindAsync(host.DataSource, "conv_old_a", "audit", "analysis", "crm", "jobs"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM ingest.webhook_events WHERE conversation_id = 'conv_new_b'"));
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'retention.completed' AND actor = 'system:erasure' AND details LIKE '%crm:markdown_sections%'"));

        // Both runs that removed something are in the audit trail, by the retention job, with counts.
        Assert.Equal(2, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'retention.purge' AND actor = $1 AND details LIKE '%ingest.recordings%'", RetentionPurger.Actor));
    }

    [Fact]
    public async Task AuditRecordsGoOnlyOnceTheyAreOlderThanTheAuditRetentionAndTheRestStillVerifies()
    {
        // The database applies the audit retention against its own clock: the old records are written eight years ago.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-8 * 365));
        await using var host = await AdminHost.StartAsync(clock, ownerSchemas: false);
        var trail = host.Services.GetRequiredService<AuditTrail>();
        for (var i = 0; i < 3; i++)
        {
            await trail.AppendAsync(new AuditEntry("system:test", "system", "old.record"), CancellationToken.None);
        }
        clock.Advance(TimeSpan.FromDays(8 * 365));
        await trail.AppendAsync(new AuditEntry("system:test", "system", "recent.record"), CancellationToken.None);

        var removed = await host.Services.GetRequiredService<RetentionPurger>().PurgeAsync(CancellationToken.None);
        Assert.Equal(3, removed["audit.log"]);
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'old.record'"));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'recent.record'"));
        var verification = await host.Services.GetRequiredService<AuditChainVerifier>().VerifyAsync(full: true, CancellationToken.None);
        Assert.True(verification.Valid, verification.Reason);
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'retention.purge' AND details LIKE '%\"audit.log\":\"3\"%'"));
    }

    [Fact]
    public async Task RetentionPeriodsAreConfigurable()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock, new Dictionary<string, string?> { ["Retention:TranscriptDays"] = "7" }, ownerSchemas: false);
        await host.PostWebhookAsync(Seed.Fixture("conv_short_lived"));
        clock.Advance(TimeSpan.FromDays(8));

        var removed = await host.Services.GetRequiredService<RetentionPurger>().PurgeAsync(CancellationToken.None);
        Assert.Equal(1, removed["ingest.webhook_events"]);
    }
}
