using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Sessions;

public sealed class SessionLifecycleTests
{
    [Fact]
    public async Task AnApiKeySignsInAndItsAccessTokenPassesTheRolePoliciesOfThatKey()
    {
        await using var host = await AdminHost.StartAsync();
        var (keyId, secret) = await host.CreateKeyAsync("auditor");

        var grant = await host.SignInAsync(secret);

        Assert.Equal("auditor", grant.Text("role"));
        Assert.StartsWith("vr_", grant.Text("refreshToken"), StringComparison.Ordinal);
        using (var allowed = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", grant.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var denied = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", grant.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }
        Assert.Equal(1, await host.ScalarAsync(
            "SELECT count(*) FROM audit.log WHERE action = 'session.create' AND target = $1 AND actor LIKE '%' || $2 || '%'", $"session/{grant.Text("sessionId")}", keyId));
        Assert.Equal(0, await host.ScalarAsync(
            "SELECT count(*) FROM auth.refresh_tokens r WHERE row_to_json(r)::text LIKE '%' || $1 || '%'", grant.Text("refreshToken")[3..]));
    }

    [Fact]
    public async Task TheBootstrapKeyAndAnAccessTokenCannotOpenASession()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("admin");
        var grant = await host.SignInAsync(secret);

        using var bootstrap = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", AdminHost.BootstrapKey);
        using var withToken = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", grant.Text("accessToken"));

        Assert.Equal(HttpStatusCode.Forbidden, bootstrap.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withToken.StatusCode);
    }

    [Fact]
    public async Task ARevokedSessionIsRefusedAtOnceWithItsAccessAndRefreshTokens()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("operator");
        var grant = await host.SignInAsync(secret);
        var access = grant.Text("accessToken");

        using (var signOut = await host.SendAsync(HttpMethod.Delete, $"/api/v1/sessions/{grant.Text("sessionId")}", access))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }

        using (var refused = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", access))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("session revoked", await refused.ReasonAsync());
        }
        using (var refresh = await host.RefreshAsync(grant.Text("refreshToken")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        }
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'session.revoke' AND target = $1", $"session/{grant.Text("sessionId")}"));
    }

    [Fact]
    public async Task AnotherKeysSessionCannotBeRevokedByANonAdminButCanByAnAdmin()
    {
        await using var host = await AdminHost.StartAsync();
        var victim = await host.SignInAsync((await host.CreateKeyAsync("auditor")).Secret);
        var other = await host.SignInAsync((await host.CreateKeyAsync("operator")).Secret);
        var admin = await host.SignInAsync((await host.CreateKeyAsync("admin")).Secret);
        var path = $"/api/v1/sessions/{victim.Text("sessionId")}";

        using (var notTheirs = await host.SendAsync(HttpMethod.Delete, path, other.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        }
        using (var byAdmin = await host.SendAsync(HttpMethod.Delete, path, admin.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.NoContent, byAdmin.StatusCode);
        }
        using var refused = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", victim.Text("accessToken"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task ARefreshTokenUsedTwiceIsRefusedAndRevokesItsWholeFamily()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("auditor");
        var first = await host.SignInAsync(secret);

        JsonObject second;
        using (var refresh = await host.RefreshAsync(first.Text("refreshToken")))
        {
            Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
            second = (await refresh.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        Assert.Equal(first.Text("sessionId"), second.Text("sessionId"));
        Assert.NotEqual(first.Text("refreshToken"), second.Text("refreshToken"));

        using (var reuse = await host.RefreshAsync(first.Text("refreshToken")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
            Assert.Contains("already used", await reuse.ReasonAsync(), StringComparison.Ordinal);
        }
        using (var successor = await host.RefreshAsync(second.Text("refreshToken")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);
        }
        foreach (var access in new[] { first.Text("accessToken"), second.Text("accessToken") })
        {
            using var refused = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", access);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        var target = $"session/{first.Text("sessionId")}";
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'session.refresh' AND target = $1", target));
        Assert.Equal(1, await host.ScalarAsync("SELECT count(*) FROM audit.log WHERE action = 'session.refresh_reused' AND target = $1", target));
    }

    [Fact]
    public async Task TheSessionsOfARevokedApiKeyAreRefusedAtOnce()
    {
        await using var host = await AdminHost.StartAsync();
        var (keyId, secret) = await host.CreateKeyAsync("operator");
        var grant = await host.SignInAsync(secret);

        using (var revoke = await host.SendAsync(HttpMethod.Post, $"/api/v1/keys/{keyId}/revoke", AdminHost.BootstrapKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var refused = await host.SendAsync(HttpMethod.Get, "/api/v1/conversations", grant.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("API key revoked", await refused.ReasonAsync(), StringComparison.Ordinal);
        }
        using var refresh = await host.RefreshAsync(grant.Text("refreshToken"));
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task AnAccessTokenExpiresAfter24HoursAndTheRefreshTokenThenGetsANewOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock);
        var grant = await host.SignInAsync((await host.CreateKeyAsync("auditor")).Secret);

        clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(2));
        using (var expired = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", grant.Text("accessToken")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Equal("token expired", await expired.ReasonAsync());
        }
        using var refresh = await host.RefreshAsync(grant.Text("refreshToken"));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        var renewed = (await refresh.Content.ReadFromJsonAsync<JsonObject>())!;
        using var allowed = await host.SendAsync(HttpMethod.Get, "/api/v1/audit/verify", renewed.Text("accessToken"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task ARefreshTokenExpiresAfter30Days()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await AdminHost.StartAsync(clock);
        var grant = await host.SignInAsync((await host.CreateKeyAsync("auditor")).Secret);

        clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));

        using var refresh = await host.RefreshAsync(grant.Text("refreshToken"));
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal("refresh token expired", await refresh.ReasonAsync());
    }
}
