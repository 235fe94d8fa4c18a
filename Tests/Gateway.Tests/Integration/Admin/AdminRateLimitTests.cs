using System.Net;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>The admin API is rate limited per key and per source, and a flood of denials does not flood the audit trail.</summary>
public sealed class AdminRateLimitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 3, TimeSpan.Zero);

    [Fact]
    public async Task AKeyOverItsLimitGets429WithTheTimeUntilItsMinuteHasRoomAndIsLetInAfterIt()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await AdminHost.StartAsync(clock, new Dictionary<string, string?> { ["Admin:RateLimitPerKeyPerMinute"] = "5" });
        var auditor = (await host.CreateKeyAsync("auditor")).Secret;
        for (var i = 0; i < 5; i++)
        {
            using var allowed = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", auditor);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", auditor);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        // All five fell in the 10-second step that began at 10:00:00; they leave the sliding minute at 10:01:00.
        Assert.Equal(TimeSpan.FromSeconds(57), limited.Headers.RetryAfter!.Delta);
        using (var otherKey = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", AdminHost.BootstrapKey))
        {
            Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(57));
        using var after = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", auditor);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task ASourceOverItsLimitGets429WhateverKeyItPresentsOrNone()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await AdminHost.StartAsync(clock, new Dictionary<string, string?> { ["Admin:RateLimitPerSourcePerMinute"] = "6" });
        var keys = new string?[] { AdminHost.BootstrapKey, null, "va_0123456789ab_" + new string('A', 43) };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 9; i++)
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", keys[i % keys.Length]);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(6, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
        Assert.Equal(3, statuses.Skip(6).Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task RepeatedIdenticalDenialsMakeOneAuditRecordThatTheNextOneCounts()
    {
        var clock = new FakeTimeProvider(Start);
        await using var host = await AdminHost.StartAsync(clock);
        var auditor = (await host.CreateKeyAsync("auditor")).Secret;
        for (var i = 0; i < 20; i++)
        {
            using var denied = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", auditor);
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'access.denied'"));

        clock.Advance(TimeSpan.FromSeconds(61));
        using (var again = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", auditor))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        }
        Assert.Equal(2, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'access.denied'"));
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'access.denied' AND details = '{\"repeated_since_last_record\":\"19\"}'"));
    }

    [Fact]
    public async Task UnauthenticatedRequestsLeaveNoLogRecordAboveDebug()
    {
        await using var host = await AdminHost.StartAsync();
        foreach (var key in new string?[] { null, "not-a-key", "va_0123456789ab_" + new string('A', 43) })
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/audit", key);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.DoesNotContain(host.Logs.Lines(), r => r.Contains("rejected", StringComparison.OrdinalIgnoreCase) && r.Contains("/api/v1/audit", StringComparison.Ordinal));
    }
}
