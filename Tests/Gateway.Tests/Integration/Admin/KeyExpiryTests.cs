using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Admin;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

[Collection(MetricsScrapeCollection.Name)]
public sealed class KeyExpiryTests
{
    private static async Task<JsonObject> ListedAsync(AdminHost host, string id)
    {
        using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", AdminHost.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!.Single(k => k!["id"]!.GetValue<string>() == id)!.AsObject();
    }

    [Fact]
    public async Task AKeyCreatedWithoutALifetimeExpiresAfter90DaysAndIsFlaggedAndLoggedInItsLast14()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock);
        var created = clock.GetUtcNow();
        var (id, secret) = await host.CreateKeyAsync("auditor");
        var notifier = host.Services.GetRequiredService<KeyExpiryNotifier>();

        var fresh = await ListedAsync(host, id);
        Assert.Equal(created.AddDays(90), fresh["expiresAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromSeconds(1));
        Assert.False(fresh["expiresSoon"]!.GetValue<bool>());
        Assert.Equal(0, await notifier.CheckAsync(CancellationToken.None));

        clock.Advance(TimeSpan.FromDays(77));
        Assert.True((await ListedAsync(host, id))["expiresSoon"]!.GetValue<bool>());
        Assert.Equal(1, await notifier.CheckAsync(CancellationToken.None));
        Assert.Contains(host.Logs.Lines(), r => r.StartsWith("Warning", StringComparison.Ordinal) && r.Contains($"API key {id} (role auditor) expires", StringComparison.Ordinal));
        // The same count as a gauge, for an alert rule on the Prometheus endpoint.
        Assert.Contains("admin_keys_expiring{otel_scope_name=\"VoiceAnalytics.Gateway.Admin\"} 1", await host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromDays(14));
        using var expired = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task TheDefaultLifetimeIsConfigurableAndARotatedKeyIsNoLongerFlagged()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock, new Dictionary<string, string?> { ["Admin:DefaultKeyLifetime"] = "10.00:00:00" });
        var (id, _) = await host.CreateKeyAsync("operator");

        Assert.True((await ListedAsync(host, id))["expiresSoon"]!.GetValue<bool>());
        using (var rotate = await host.SendAsync(HttpMethod.Post, $"/api/v1/keys/{id}/rotate", AdminHost.BootstrapKey))
        {
            Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
        }
        Assert.False((await ListedAsync(host, id))["expiresSoon"]!.GetValue<bool>());
    }
}
