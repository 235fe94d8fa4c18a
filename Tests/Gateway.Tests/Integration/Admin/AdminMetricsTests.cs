using System.Net;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin;

/// <summary>The security families of the gateway's Prometheus endpoint: failed authentication and rate-limit hits.</summary>
[Collection(MetricsScrapeCollection.Name)]
public sealed class AdminMetricsTests
{
    [Fact]
    public async Task FailedAuthenticationAndRateLimitHitsAreScrapedFromMetrics()
    {
        await using var host = await AdminHost.StartAsync(settings: new Dictionary<string, string?> { ["Admin:RateLimitPerKeyPerMinute"] = "2" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.SendAsync(HttpMethod.Get, "/api/v1/keys", "not-a-valid-key-" + new string('x', 32));
            statuses.Add(response.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);

        var text = await host.Client.GetStringAsync("/metrics");

        // Two refused keys: two failed authentications that ended in a challenge (401), two denied authorizations.
        Assert.Matches("""aspnetcore_authentication_authenticate_duration_seconds_count\{[^}]*aspnetcore_authentication_result="failure"[^}]*\} [1-9]""", text);
        Assert.Matches("""aspnetcore_authentication_challenges_total\{[^}]*\} 2\n""", text);
        Assert.Matches("""aspnetcore_authorization_attempts_total\{[^}]*aspnetcore_authorization_result="failure"[^}]*\} 2\n""", text);
        // The third request never reached authentication: the rate limiter refused it.
        Assert.Matches("""aspnetcore_rate_limiting_requests_total\{[^}]*aspnetcore_rate_limiting_result="global_limiter"[^}]*\} 1""", text);
    }
}
