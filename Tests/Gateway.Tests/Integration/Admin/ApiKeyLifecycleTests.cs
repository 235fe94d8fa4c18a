using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

public sealed class ApiKeyLifecycleTests
{
    private static async Task<string> ReasonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["reason"]!.GetValue<string>();

    [Fact]
    public async Task ExpiredRevokedAndPastGraceKeysAreRejectedWith401AndTheirReason()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock);
        var (_, shortLived) = await host.CreateKeyAsync("auditor", expiresInDays: 1);
        var (revokedId, revoked) = await host.CreateKeyAsync("auditor");
        var (rotatedId, original) = await host.CreateKeyAsync("auditor");

        using (var revoke = await host.SendAsync(HttpMethod.Post, $"/api/v1/keys/{revokedId}/revoke", AdminHost.BootstrapKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }
        string replacement;
        using (var rotate = await host.SendAsync(HttpMethod.Post, $"/api/v1/keys/{rotatedId}/rotate", AdminHost.BootstrapKey, new { graceHours = 12 }))
        {
            Assert.Equal(HttpStatusCode.Created, rotate.StatusCode);
            replacement = (await rotate.Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
        }

        // During the grace period both the old and the new key work.
        foreach (var key in new[] { shortLived, original, replacement })
        {
            using var ok = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var rejected = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", revoked))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
            Assert.Contains("revoked", await ReasonAsync(rejected), StringComparison.Ordinal);
        }

        clock.Advance(TimeSpan.FromDays(2));
        using (var expired = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", shortLived))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Contains("expired", await ReasonAsync(expired), StringComparison.Ordinal);
        }
        using (var pastGrace = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", original))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, pastGrace.StatusCode);
            Assert.Contains("grace", await ReasonAsync(pastGrace), StringComparison.Ordinal);
        }
        using (var stillValid = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", replacement))
        {
            Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        }
    }

    [Fact]
    public async Task KeysAreStoredOnlyAsHashesAndWorkInTheXApiKeyHeaderToo()
    {
        await using var host = await AdminHost.StartAsync();
        var (id, secret) = await host.CreateKeyAsync("auditor");

        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM auth.api_keys k WHERE row_to_json(k)::text LIKE '%' || $1 || '%'", secret));
        Assert.Equal(32, await host.ScalarAsync("SELECT length(secret_hash) FROM auth.api_keys WHERE id = $1", id));
        using (var list = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", AdminHost.BootstrapKey))
        {
            Assert.DoesNotContain(secret, await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit?limit=1");
        request.Headers.Add("X-Api-Key", secret);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var tampered = secret[..^2] + (secret[^2] == 'A' ? "BB" : "AA");
        using var wrong = await host.SendAsync(HttpMethod.Get, "/api/v1/audit?limit=1", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task BadKeyRequestsAreRefusedWith400AndCreateNothing()
    {
        await using var host = await AdminHost.StartAsync();
        using var badRole = await host.SendAsync(HttpMethod.Post, "/api/v1/keys", AdminHost.BootstrapKey, new { name = "x", role = "root" });
        using var noName = await host.SendAsync(HttpMethod.Post, "/api/v1/keys", AdminHost.BootstrapKey, new { name = " ", role = "admin" });
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(0, await host.ScalarAsync("SELECT count(*) FROM auth.api_keys"));
    }

    [Fact]
    public async Task ABootstrapKeyShorterThan32CharactersStopsTheStartWithAClearMessage()
    {
        var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => AdminHost.StartAsync(settings: new Dictionary<string, string?> { ["ADMIN_BOOTSTRAP_KEY"] = "short-bootstrap-key" }));

        Assert.Contains("at least 32 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APrefixOrAnExtensionOfTheBootstrapKeyIsRefused()
    {
        await using var host = await AdminHost.StartAsync();
        foreach (var key in new[] { AdminHost.BootstrapKey[..32], AdminHost.BootstrapKey + "x" })
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", key);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var exact = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", AdminHost.BootstrapKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, exact.StatusCode);
    }
}
