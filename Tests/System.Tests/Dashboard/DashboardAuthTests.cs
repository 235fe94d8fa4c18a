using System.Net;
using System.Net.Http.Json;
using VoiceAnalytics.System.Tests.Dashboard.Support;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>
/// Pages, assets and the dashboard API need the session cookie from the login link; OTLP ingest does not
/// (the services export without a token; the port is loopback-only).
/// </summary>
public sealed class DashboardAuthTests : IAsyncLifetime
{
    private DashboardTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DashboardTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("/resources")]
    [InlineData("/traces/0af7651916cd43dd8448eb211c80319c")]
    [InlineData("/dashboard/assets/app.js")]
    [InlineData("/dashboard/api/traces")]
    [InlineData("/dashboard/api/resources")]
    public async Task WithoutTheSessionCookieEveryDashboardPathAnswers401(string path)
    {
        using var client = _host.AnonymousClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AWrongTokenDoesNotSignIn()
    {
        using var client = _host.AnonymousClient();

        using var response = await client.GetAsync("/login?t=wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheLoginLinkSetsAnHttpOnlyStrictCookieAndRedirectsToResources()
    {
        using var client = _host.AnonymousClient();

        using var response = await client.GetAsync(_host.LoginUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/resources", response.Headers.Location?.ToString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(DashboardTestHost.Token, cookie);
    }

    [Fact]
    public async Task TheLoginLinkDoesNotRedirectOffSite()
    {
        using var client = _host.AnonymousClient();

        using var response = await client.GetAsync($"/login?t={DashboardTestHost.Token}&returnUrl=//evil.example/");

        Assert.Equal("/resources", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task ASignedInClientGetsPagesAndApi()
    {
        using var client = await _host.SignedInClientAsync();

        var page = await client.GetStringAsync("/traces");
        var resources = await client.GetFromJsonAsync<List<Dictionary<string, object>>>("/dashboard/api/resources");

        Assert.Contains("data-testid=\"conversation-search-input\"", page);
        Assert.Equal(3, resources!.Count);
    }

    [Fact]
    public async Task CommandsNeedTheDashboardHeaderSoACrossSiteFormCannotSendThem()
    {
        using var client = await _host.SignedInClientAsync();

        using var withoutHeader = await client.PostAsync("/dashboard/api/resources/crm/restart", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dashboard/api/resources/crm/restart") { Headers = { { "X-Dashboard", "1" } } };
        using var withHeader = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withHeader.StatusCode);
        Assert.Equal(["restart crm"], _host.Resources.Commands);
    }

    [Fact]
    public async Task OtlpIngestNeedsNoToken()
    {
        using var client = _host.AnonymousClient();

        using var response = await client.PostAsync("/v1/traces", OtlpRequests.Protobuf([]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
