using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Sessions;

public sealed class CookieSessionTests
{
    [Fact]
    public async Task ABrowserSessionGetsHttpOnlySecureStrictCookiesAndNoTokenInTheBody()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("operator");

        using var response = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", secret, new { useCookies = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var grant = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(grant["accessToken"]);
        Assert.Null(grant["refreshToken"]);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        foreach (var name in new[] { "__Host-va-session", "__Host-va-refresh" })
        {
            var cookie = cookies.Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).ToLowerInvariant();
            Assert.Contains("httponly", cookie, StringComparison.Ordinal);
            Assert.Contains("secure", cookie, StringComparison.Ordinal);
            Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
            Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        }
        var csrfCookie = cookies.Single(c => c.StartsWith("__Host-va-csrf=", StringComparison.Ordinal));
        Assert.DoesNotContain("httponly", csrfCookie.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains(grant.Text("csrfToken"), csrfCookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACookieSessionReadsWithoutCsrfButChangesStateOnlyWithItsCsrfToken()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("operator");
        using var signIn = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", secret, new { useCookies = true });
        var grant = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!;
        var cookies = SessionClient.CookiesOf(signIn);
        var signOut = $"/api/v1/sessions/{grant.Text("sessionId")}";

        using (var read = await host.SendWithCookiesAsync(HttpMethod.Get, "/api/v1/conversations", cookies))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
        using (var noCsrf = await host.SendWithCookiesAsync(HttpMethod.Delete, signOut, cookies))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noCsrf.StatusCode);
            Assert.Contains("X-CSRF-Token", await noCsrf.ReasonAsync(), StringComparison.Ordinal);
        }
        using (var wrongCsrf = await host.SendWithCookiesAsync(HttpMethod.Delete, signOut, cookies, csrf: "not-the-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongCsrf.StatusCode);
        }
        using (var withCsrf = await host.SendWithCookiesAsync(HttpMethod.Delete, signOut, cookies, csrf: grant.Text("csrfToken")))
        {
            Assert.Equal(HttpStatusCode.NoContent, withCsrf.StatusCode);
        }
        using var after = await host.SendWithCookiesAsync(HttpMethod.Get, "/api/v1/conversations", cookies);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ARefreshFromTheCookieNeedsTheCsrfTokenAndRenewsIt()
    {
        await using var host = await AdminHost.StartAsync();
        var (_, secret) = await host.CreateKeyAsync("auditor");
        using var signIn = await host.SendAsync(HttpMethod.Post, "/api/v1/sessions", secret, new { useCookies = true });
        var grant = (await signIn.Content.ReadFromJsonAsync<JsonObject>())!;
        var cookies = SessionClient.CookiesOf(signIn);

        using (var noCsrf = await host.SendWithCookiesAsync(HttpMethod.Post, "/api/v1/sessions", cookies))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noCsrf.StatusCode);
        }
        using var refreshed = await host.SendWithCookiesAsync(HttpMethod.Post, "/api/v1/sessions", cookies, grant.Text("csrfToken"));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var renewed = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotEqual(grant.Text("csrfToken"), renewed.Text("csrfToken"));
        using var read = await host.SendWithCookiesAsync(HttpMethod.Get, "/api/v1/audit/verify", SessionClient.CookiesOf(refreshed));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
