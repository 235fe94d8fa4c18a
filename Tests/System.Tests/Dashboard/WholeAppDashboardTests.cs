using System.Net;
using System.Net.Http.Json;
using OpenQA.Selenium;
using VoiceAnalytics.AppHost.Testing;
using VoiceAnalytics.System.Tests.Dashboard.Support;
using VoiceAnalytics.TestSupport;
using static VoiceAnalytics.System.Tests.Dashboard.Support.HeadlessChromium;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>
/// Issue 7's done-when: the whole app booted through the testing entry point with fake OpenAI and CRM, a signed
/// webhook, and the dashboard in a real browser showing every resource healthy, the conversation as one trace
/// across gateway, analysis and crm, and a resource's console log.
/// </summary>
public sealed class WholeAppDashboardTests
{
    // Guards, not assertions: the machine is shared and builds run beside the tests.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly string[] AllServices = ["gateway", "analysis", "crm"];

    [Fact]
    public async Task ASignedWebhookShowsUpAsOneTraceAcrossGatewayAnalysisAndCrmInTheDashboard()
    {
        await using var openAi = await StubHttpServer.StartAsync("/v1/chat/completions", FakeEdge.ChatCompletion());
        await using var creatio = await StubHttpServer.StartAsync(FakeEdge.CreatioPath, FakeEdge.CreatioOk);
        var secret = "whsec_dashboard_" + Guid.NewGuid().ToString("N");
        var app = await DistributedApplicationTestingBuilder.CreateAsync(o =>
        {
            o.Configuration["WEBHOOK_SECRET"] = secret;
            o.Configuration["OPENAI_API_KEY"] = "sk-test-dashboard";
            o.Configuration["CRM_SERVICE_URL"] = new Uri(creatio.BaseUrl, FakeEdge.CreatioPath).ToString();
            o.WithEnvironment("analysis", "OPENAI_BASE_URL", new Uri(openAi.BaseUrl, "/v1").ToString());
            o.WithEnvironment("crm", "CRM_LANDING_ID", Guid.NewGuid().ToString());
            o.WithEnvironment("crm", "CRM_MD_ENABLED", "false");
        });
        try
        {
            await app.StartAsync();
            await app.WaitForAllHealthyAsync(Patience);
            var conversationId = "conv_dash_" + Guid.NewGuid().ToString("N")[..12];

            using (var gateway = new HttpClient { BaseAddress = app.GetEndpoint("gateway", "http") })
            using (var webhook = await gateway.SendAsync(new WebhookSigner(secret).CreateRequest(FakeEdge.TranscriptionWebhook(conversationId))))
            {
                Assert.True(webhook.IsSuccessStatusCode, $"gateway answered {webhook.StatusCode}");
            }
            await openAi.WaitForFirstRequestAsync(Patience);
            await creatio.WaitForFirstRequestAsync(Patience);
            var traceId = await WaitForOneTraceAcrossAllServicesAsync(app.DashboardLoginUrl, conversationId);

            using var browser = new HeadlessChromium();
            browser.GoTo(app.DashboardLoginUrl.ToString());
            var rows = browser.WaitForAll(TestId("resource-row"), r => r.Count == app.ResourceService.GetResources().Count
                && r.All(row => row.GetAttribute("data-health") == "Healthy"), because: "every resource healthy");
            Assert.Equal(["postgres", "voicedb", "gateway", "analysis", "crm"], rows.Select(r => r.GetAttribute("data-resource")));
            browser.Screenshot("whole-app-01-resources");

            var search = browser.WaitFor(TestId("conversation-search-input"));
            search.SendKeys(conversationId);
            search.SendKeys(Keys.Enter);
            var trace = browser.WaitForAll(TestId("conversation-trace-row"), r => r.Count == 1, because: "one trace for the conversation").Single();
            Assert.Equal(traceId, trace.GetAttribute("data-trace-id"));
            var services = trace.FindElements(By.CssSelector("[data-testid='trace-services'] [data-testid='service-badge']")).Select(b => b.GetAttribute("data-service")).ToHashSet();
            Assert.True(services.IsSupersetOf(AllServices), $"trace services: {string.Join(", ", services)}");
            browser.Screenshot("whole-app-02-conversation");

            trace.FindElement(TestId("trace-link")).Click();
            var spans = browser.WaitForAll(TestId("span-row"), r => r.Count >= 3, because: "the trace's spans");
            var spanServices = spans.Select(s => s.GetAttribute("data-service")).ToHashSet();
            Assert.True(spanServices.IsSupersetOf(AllServices), $"span services: {string.Join(", ", spanServices)}");
            spans[0].Click();
            browser.WaitFor(TestId("span-details"), d => d.Displayed);
            browser.Screenshot("whole-app-03-waterfall");

            browser.GoTo(new Uri(app.DashboardUrl, "/resources").ToString());
            browser.WaitFor(By.CssSelector("[data-resource='gateway'] [data-testid='resource-console']")).Click();
            browser.WaitForAll(TestId("console-line"), l => l.Count > 0, because: "the gateway's console output");
            browser.Screenshot("whole-app-04-console");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Polls the dashboard API until the conversation's spans from all three services have been exported.</summary>
    private static async Task<string> WaitForOneTraceAcrossAllServicesAsync(Uri loginUrl, string conversationId)
    {
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = loginUrl };
        (await client.GetAsync(loginUrl)).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow + Patience;
        ConversationResponse? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<ConversationResponse>($"/dashboard/api/conversations/{conversationId}");
            if (last!.Traces.Count > 0 && last.Traces.SelectMany(t => t.Services).ToHashSet().IsSupersetOf(AllServices))
            {
                Assert.Single(last.Traces);
                return last.Traces[0].TraceId;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The conversation's trace never spanned all three services: {string.Join("; ", last?.Traces.Select(t => $"{t.TraceId}: {string.Join(",", t.Services)}") ?? [])}");
    }

    private sealed record ConversationResponse(List<TraceRow> Traces);

    private sealed record TraceRow(string TraceId, List<string> Services);
}
