using System.Net;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Edge;

public sealed class CorsPreflightTests
{
    private const string AdminOrigin = "https://admin.example.test";

    private static async Task<HttpResponseMessage> PreflightAsync(AdminHost host, string origin, string method = "DELETE")
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/sessions/ses_x");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, x-correlation-id, x-csrf-token");
        return await host.Client.SendAsync(request);
    }

    private static IEnumerable<string> CorsHeaders(HttpResponseMessage response) =>
        response.Headers.Select(h => h.Key).Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task APreflightFromAListedOriginIsAllowedWithCredentialsTheMethodsAndTheHeaders()
    {
        await using var host = await AdminHost.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = AdminOrigin });

        using var response = await PreflightAsync(host, AdminOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AdminOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        var methods = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["DELETE", "GET", "OPTIONS", "POST", "PUT"], methods.Order());
        var headers = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        foreach (var header in new[] { "authorization", "content-type", "x-correlation-id", "x-csrf-token" })
        {
            Assert.Contains(header, headers, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task APreflightFromAnUnknownOriginGetsNoCorsHeaders()
    {
        await using var host = await AdminHost.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = AdminOrigin });

        using var response = await PreflightAsync(host, "https://evil.example.test");
        using var lookalike = await PreflightAsync(host, AdminOrigin + ".evil.test");

        Assert.Empty(CorsHeaders(response));
        Assert.Empty(CorsHeaders(lookalike));
    }

    [Fact]
    public async Task WithNoOriginsConfiguredNoOriginGetsCorsHeaders()
    {
        await using var host = await AdminHost.StartAsync();

        using var preflight = await PreflightAsync(host, AdminOrigin, "GET");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/keys");
        request.Headers.Add("Origin", AdminOrigin);
        request.Headers.Authorization = new("Bearer", AdminHost.BootstrapKey);
        using var actual = await host.Client.SendAsync(request);

        Assert.Empty(CorsHeaders(preflight));
        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
        Assert.Empty(CorsHeaders(actual));
    }

    [Fact]
    public async Task AWildcardOrAnOriginWithAPathStopsTheStart()
    {
        foreach (var origin in new[] { "*", "https://*.example.test", "https://admin.example.test/app" })
        {
            var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
                () => AdminHost.StartAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins:0"] = origin }));
            Assert.Contains("Cors:AllowedOrigins", ex.Message, StringComparison.Ordinal);
        }
    }
}
