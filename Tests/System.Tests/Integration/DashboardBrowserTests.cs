using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using VoiceAnalytics.System.Tests.Support;
using VoiceAnalytics.TestSupport;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Integration;

/// <summary>
/// The real Aspire dashboard in Debian's chromium: log in with the browser token, see the five resources running
/// and healthy, post a signed webhook, find its trace by <c>conversation.id</c> on the Traces page and see
/// gateway, analysis and crm spans in it. Screenshots are kept in TestResults/screenshots.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ResourcesAreHealthyAndAConversationsTraceIsFoundByItsId()
    {
        var token = Guid.NewGuid().ToString("N");
        var apiKey = Guid.NewGuid().ToString("N");
        var adminKey = "admin-" + Guid.NewGuid().ToString("N");
        await using var app = await StressApp.StartAsync(new StressAppSettings
        {
            Dashboard = true,
            AppHostArgs =
            [
                "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                $"AppHost:BrowserToken={token}",
                $"AppHost:DashboardApiKey={apiKey}",
                $"ADMIN_BOOTSTRAP_KEY={adminKey}",
            ],
        });
        // The testing builder gives the dashboard random ports, beside any running app.
        var dashboard = app.App.GetEndpoint("aspire-dashboard", "http");
        output.WriteLine($"dashboard: {dashboard}");
        using var browser = new HeadlessChromium();

        // Log in with the token; the resources page lists the five resources, all running and healthy.
        browser.GoTo(new Uri(dashboard, $"/login?t={token}").ToString());
        WaitForText(browser, text => ResourceStates.All.All(text.Contains) && !text.Contains("Unhealthy", StringComparison.Ordinal)
            && !text.Contains("Starting", StringComparison.Ordinal) && CountOf(text, "Running") >= ResourceStates.All.Length,
            "the five resources running and healthy");
        output.WriteLine(browser.Screenshot("dashboard-resources"));

        // A signed webhook makes one conversation: gateway → analysis → crm, one trace.
        var conversationId = "conv_dash_" + Guid.NewGuid().ToString("N")[..10];
        using (var response = await app.Gateway.SendAsync(app.Signer.CreateRequest(WebhookBodies.Transcription(conversationId))))
        {
            Assert.True(response.IsSuccessStatusCode, $"gateway answered {response.StatusCode}");
        }
        await Eventually.TrueAsync(() => Task.FromResult(app.Crm.Requests.Any(r => r.Body.Contains(conversationId, StringComparison.Ordinal))),
            "the conversation's lead at the fake Creatio", seconds: (int)Patience.TotalSeconds);

        // The Traces page filtered by the conversation.id attribute shows one trace with spans of all three
        // services (the spans arrive over a few seconds: reload until they are all there); a click opens it.
        var filtered = new Uri(dashboard, $"/traces?filters={Uri.EscapeDataString($"conversation.id:equals:{conversationId}")}").ToString();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            browser.GoTo(filtered);
            try
            {
                browser.WaitForAll(By.CssSelector(".trace-service-tag"),
                    // "crm (8)", or "crm-<instance> (8)" when the dashboard has seen more than one instance of a service.
                    tags => new[] { "gateway", "analysis", "crm" }.All(service => tags.Any(t => t.Text.Trim().StartsWith(service, StringComparison.Ordinal))),
                    TimeSpan.FromSeconds(10), $"a trace of {conversationId} with gateway, analysis and crm spans");
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not all spans exported yet.
            }
        }
        output.WriteLine(browser.Screenshot("dashboard-traces-filtered"));
        Assert.Single(browser.Driver.FindElements(By.CssSelector(".trace-id"))).Click();
        browser.WaitForAll(By.TagName("body"), _ => browser.Driver.Url.Contains("/traces/detail/", StringComparison.Ordinal), Patience, "the trace's page");
        var detail = browser.Driver.Url;

        // The admin API's conversation view links to the same trace page: follow its link.
        var traceId = detail.Split('/').Last();
        using var admin = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/conversations/{conversationId}");
        admin.Headers.Authorization = new("Bearer", adminKey);
        using var adminResponse = await app.Gateway.SendAsync(admin);
        var view = await adminResponse.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(traceId, view?["traceId"]?.GetValue<string>());
        var traceUrl = view?["traceUrl"]?.GetValue<string>();
        Assert.Equal(new Uri(dashboard, $"/traces/detail/{traceId}").ToString(), traceUrl);
        browser.GoTo(traceUrl!);
        WaitForText(browser, text => new[] { "gateway", "analysis", "crm" }.All(text.Contains), "gateway, analysis and crm spans in the trace");
        output.WriteLine(browser.Screenshot("dashboard-trace"));

        // The same trace through the dashboard's telemetry API (x-api-key): spans of every service carry conversation.id.
        using var api = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Add("x-api-key", apiKey);
        var trace = await api.GetFromJsonAsync<JsonObject>($"/api/telemetry/traces/{traceId}");
        var tagged = Spans(trace!).Where(s => s.Attributes.TryGetValue("conversation.id", out var id) && id == conversationId)
            .Select(s => s.Service).ToHashSet();
        Assert.Superset(new HashSet<string> { "gateway", "analysis", "crm" }, tagged);
        foreach (var span in Spans(trace!).Where(s => !s.Attributes.ContainsKey("conversation.id")))
        {
            output.WriteLine($"span without conversation.id: {span.Service} {span.Name}");
        }
    }

    private static void WaitForText(HeadlessChromium browser, Func<string, bool> condition, string because) =>
        browser.WaitForAll(By.TagName("body"), found => found.Count > 0 && condition(found[0].Text), Patience, because);

    private static int CountOf(string text, string word) => text.Split(word).Length - 1;

    private sealed record Span(string Service, string Name, Dictionary<string, string> Attributes);

    /// <summary>The spans of an OTLP JSON trace, with the service each came from and its string attributes.</summary>
    private static IEnumerable<Span> Spans(JsonObject trace)
    {
        foreach (var resourceSpans in trace["data"]?["resourceSpans"]?.AsArray() ?? trace["resourceSpans"]?.AsArray() ?? [])
        {
            var service = Attributes(resourceSpans?["resource"]?["attributes"]).GetValueOrDefault("service.name", "?");
            foreach (var scope in resourceSpans?["scopeSpans"]?.AsArray() ?? [])
            {
                foreach (var span in scope?["spans"]?.AsArray() ?? [])
                {
                    yield return new Span(service, span?["name"]?.GetValue<string>() ?? "", Attributes(span?["attributes"]));
                }
            }
        }
    }

    private static Dictionary<string, string> Attributes(JsonNode? attributes) =>
        (attributes?.AsArray() ?? []).Where(a => a?["value"]?["stringValue"] is not null)
            .ToDictionary(a => a!["key"]!.GetValue<string>(), a => a!["value"]!["stringValue"]!.GetValue<string>());
}
