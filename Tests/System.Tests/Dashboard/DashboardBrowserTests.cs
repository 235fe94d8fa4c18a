using OpenQA.Selenium;
using VoiceAnalytics.AppHost.Telemetry;
using VoiceAnalytics.System.Tests.Dashboard.Support;
using static VoiceAnalytics.System.Tests.Dashboard.Support.HeadlessChromium;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser, fed through the real OTLP receiver by real OpenTelemetry exporters of
/// three fake services that share one trace per conversation. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class DashboardBrowserTests : IClassFixture<DashboardBrowserTests.Fixture>
{
    private readonly Fixture _fixture;
    private readonly HeadlessChromium _browser;

    public DashboardBrowserTests(Fixture fixture)
    {
        _fixture = fixture;
        _browser = fixture.Browser;
    }

    [Fact]
    public void SearchingAConversationIdOpensOneTraceWithSpansFromThreeServicesAndItsWaterfall()
    {
        _browser.GoTo(_fixture.Host.LoginUrl);
        _browser.WaitForAll(TestId("resource-row"), rows => rows.Count == 3, because: "the three resources");

        var search = _browser.WaitFor(TestId("conversation-search-input"));
        search.SendKeys(_fixture.ConversationId);
        search.SendKeys(Keys.Enter);

        var traceRow = _browser.WaitForAll(TestId("conversation-trace-row"), rows => rows.Count == 1, because: "one trace for the conversation").Single();
        Assert.Equal(_fixture.TraceId, traceRow.GetAttribute("data-trace-id"));
        var services = traceRow.FindElements(By.CssSelector("[data-testid='trace-services'] [data-testid='service-badge']"))
            .Select(b => b.GetAttribute("data-service"));
        Assert.Equal(["gateway", "analysis", "crm"], services);
        _browser.WaitForAll(TestId("log-row"), rows => rows.Count == 3, because: "the conversation's three log records");
        _browser.Screenshot("01-conversation-search");

        traceRow.FindElement(TestId("trace-link")).Click();

        var spans = _browser.WaitForAll(TestId("span-row"), rows => rows.Count == 7, because: "the trace's seven spans");
        Assert.Equal(["gateway", "analysis", "crm"], spans.Select(s => s.GetAttribute("data-service")).Distinct());
        Assert.Equal("POST /webhooks/elevenlabs", spans[0].FindElement(TestId("span-name")).Text);
        spans.Single(s => s.Text.Contains("LeadService", StringComparison.Ordinal)).Click();
        var details = _browser.WaitFor(TestId("span-details"), d => d.Displayed);
        Assert.Contains("fake-crm", details.FindElement(TestId("span-attributes")).Text);
        Assert.Contains("retry", details.FindElement(TestId("span-events")).Text);
        _browser.Screenshot("02-trace-waterfall");
    }

    [Fact]
    public void ResourcesConsoleStructuredLogsTracesAndMetricsPagesShowTheirData()
    {
        _browser.GoTo(_fixture.Host.LoginUrl);
        var rows = _browser.WaitForAll(TestId("resource-row"), r => r.Count == 3, because: "the three resources");
        Assert.All(rows, r => Assert.Equal("Healthy", r.FindElement(TestId("resource-health")).Text));
        Assert.Contains("http://127.0.0.1:", rows[0].FindElement(TestId("resource-endpoint")).Text);
        _browser.Screenshot("03-resources");

        _browser.WaitFor(By.CssSelector("[data-resource='crm'] [data-testid='resource-restart']")).Click();
        _browser.WaitFor(By.CssSelector("[data-resource='crm'] [data-testid='resource-restarts']"), c => c.Text == "1", because: "crm restarted once");
        Assert.Contains("restart crm", _fixture.Host.Resources.Commands);

        _browser.WaitFor(By.CssSelector("[data-resource='analysis'] [data-testid='resource-console']")).Click();
        _browser.WaitFor(TestId("console-line"), l => l.Text.Contains("429", StringComparison.Ordinal), because: "analysis console output");
        _browser.WaitFor(TestId("console-search")).SendKeys("429");
        _browser.WaitFor(TestId("console-match-count"), c => c.Text == "1 matching line");
        _browser.Screenshot("04-console-logs");

        _browser.GoTo(new Uri(_fixture.Host.BaseUrl, "/structured?level=Warning").ToString());
        var warnings = _browser.WaitForAll(TestId("log-row"), r => r.Count == 2, because: "the rejected webhook and the failed CRM export");
        Assert.All(warnings, w => Assert.Contains("Warning", w.Text));
        _browser.WaitFor(TestId("log-trace-link"));
        _browser.Screenshot("05-structured-logs");

        _browser.GoTo(new Uri(_fixture.Host.BaseUrl, "/traces").ToString());
        _browser.WaitForAll(TestId("trace-row"), r => r.Count == Fixture.Conversations + 1, because: "every conversation plus the rejected webhook");
        _browser.WaitFor(TestId("trace-error"));
        _browser.Screenshot("06-traces");

        _browser.GoTo(new Uri(_fixture.Host.BaseUrl, "/metrics").ToString());
        foreach (var panel in new[] { "webhooks", "queue-depth", "analysis-latency", "crm-outcomes", "breaker" })
        {
            _browser.WaitFor(By.CssSelector($"[data-testid='key-metric-{panel}'] [data-testid='metric-value']"), because: $"the {panel} panel");
        }
        var webhooks = _browser.WaitFor(TestId("key-metric-webhooks")).FindElements(TestId("metric")).Select(m => m.GetAttribute("data-metric"));
        Assert.Equal(["gateway.webhooks.accepted", "gateway.webhooks.rejected"], webhooks);
        _browser.Screenshot("07-metrics");
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public const int Conversations = 5;

        public DashboardTestHost Host { get; private set; } = null!;

        public HeadlessChromium Browser { get; private set; } = null!;

        public string ConversationId { get; } = "conv_" + Guid.NewGuid().ToString("N")[..10];

        public string TraceId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Host = await DashboardTestHost.StartAsync();
            using (var pipeline = new FakePipeline(Host.BaseUrl))
            {
                for (var i = 0; i < Conversations - 1; i++)
                {
                    pipeline.EmitConversation($"conv_other_{i}", i, crmFails: i == 2);
                }
                TraceId = pipeline.EmitConversation(ConversationId, Conversations);
                pipeline.EmitRejectedWebhook();
                pipeline.Flush();
            }
            Assert.Equal(7, Host.Store.GetTrace(TraceId).Count);
            Browser = new HeadlessChromium();
        }

        public Task DisposeAsync()
        {
            Browser?.Dispose();
            return Host.DisposeAsync().AsTask();
        }
    }
}
