using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using VoiceAnalytics.AppHost.Telemetry;
using VoiceAnalytics.System.Tests.Dashboard.Support;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>The receiver fed by the real .NET OpenTelemetry OTLP exporter (http/protobuf), as the services export.</summary>
public sealed class OtlpReceiverTests
{
    [Fact]
    public async Task SpansFromTheOpenTelemetryExporterArriveWithTheirAttributesEventsAndStatus()
    {
        await using var host = await DashboardTestHost.StartAsync();
        var sourceName = "ReceiverTest." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        string traceId;
        using (var provider = OtlpExporters.Tracing(host.BaseUrl, "gateway", sourceName))
        {
            using var parent = source.StartActivity("POST /webhooks/elevenlabs", ActivityKind.Server)!;
            parent.SetTag("conversation.id", "conv-spans-1");
            parent.SetTag("http.response.status_code", 202);
            traceId = parent.TraceId.ToHexString();
            using (var insert = source.StartActivity("INSERT ingest.webhook_events", ActivityKind.Client)!)
            {
                insert.SetTag("db.system", "postgresql");
                insert.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = 2 }));
                insert.SetStatus(ActivityStatusCode.Error, "deadlock detected");
            }
            parent.Stop();
            Assert.True(provider.ForceFlush(10_000));
        }

        var spans = host.Store.GetTrace(traceId);
        Assert.Equal(2, spans.Count);
        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        var child = Assert.Single(spans, s => s.ParentSpanId == root.SpanId);
        Assert.Equal(("POST /webhooks/elevenlabs", "Server", "gateway"), (root.Name, root.Kind, root.ServiceName));
        Assert.Equal("conv-spans-1", root.ConversationId);
        Assert.Contains(new TelemetryAttribute("http.response.status_code", "202"), root.Attributes);
        Assert.Equal(("Client", SpanStatus.Error, "deadlock detected"), (child.Kind, child.Status, child.StatusMessage));
        Assert.Contains(new TelemetryAttribute("db.system", "postgresql"), child.Attributes);
        var retry = Assert.Single(child.Events);
        Assert.Equal("retry", retry.Name);
        Assert.Contains(new TelemetryAttribute("attempt", "2"), retry.Attributes);
        Assert.Equal(sourceName, child.Scope);
        Assert.True(root.End >= child.End && root.Start <= child.Start);
    }

    [Fact]
    public async Task LogsFromTheOpenTelemetryExporterArriveWithLevelScopeAndTraceId()
    {
        await using var host = await DashboardTestHost.StartAsync();
        var sourceName = "ReceiverTest." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId;
        using (var logging = OtlpExporters.Logging(host.BaseUrl, "crm"))
        {
            var logger = logging.CreateLogger("VoiceAnalytics.Crm.Workers.ExportWorker");
            using var activity = source.StartActivity("crm.job export")!;
            traceId = activity.TraceId.ToHexString();
            using (logger.BeginScope(new Dictionary<string, object?> { ["conversation.id"] = "conv-logs-1" }))
            {
                logger.LogWarning("CRM answered {StatusCode} after {Attempts} attempts", 503, 3);
            }
            logger.LogDebug("Breaker state is {State}", "closed");
        }

        var logs = host.Store.QueryLogs(new LogQuery(Service: "crm"));
        Assert.Equal(2, logs.Count);
        var warning = Assert.Single(logs, l => l.Level == "Warning");
        Assert.Equal("CRM answered 503 after 3 attempts", warning.Message);
        Assert.Equal("VoiceAnalytics.Crm.Workers.ExportWorker", warning.Category);
        Assert.Equal("conv-logs-1", warning.ConversationId);
        Assert.Equal(traceId, warning.TraceId);
        Assert.Contains(new TelemetryAttribute("StatusCode", "503"), warning.Attributes);
        var debug = Assert.Single(logs, l => l.Level == "Debug");
        Assert.Null(debug.ConversationId);
        Assert.Equal([warning], host.Store.QueryLogs(new LogQuery(Level: "Information")));
    }

    [Fact]
    public async Task MetricsFromTheOpenTelemetryExporterArriveAsCountersGaugesAndHistograms()
    {
        await using var host = await DashboardTestHost.StartAsync();
        var meterName = "ReceiverTest." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var webhooks = meter.CreateCounter<long>("gateway.webhooks.received");
        var latency = meter.CreateHistogram<double>("analysis.duration", "ms");
        meter.CreateObservableGauge("queue.depth", () => 4);
        using (var provider = OtlpExporters.Metrics(host.BaseUrl, "gateway", meterName))
        {
            webhooks.Add(3, new KeyValuePair<string, object?>("outcome", "accepted"));
            webhooks.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
            foreach (var ms in new[] { 100.0, 200, 300, 400 })
            {
                latency.Record(ms);
            }
            Assert.True(provider.ForceFlush(10_000));
        }

        var metrics = host.Store.ListMetrics("gateway");
        var counter = Assert.Single(metrics, m => m.Name == "gateway.webhooks.received");
        Assert.Equal(MetricTypes.Counter, counter.Type);
        Assert.Equal(3, Assert.Single(counter.Series, s => s.SeriesKey == "outcome=accepted").Value);
        Assert.Equal(1, Assert.Single(counter.Series, s => s.SeriesKey == "outcome=rejected").Value);
        var histogram = Assert.Single(metrics, m => m.Name == "analysis.duration");
        var series = Assert.Single(histogram.Series);
        Assert.Equal((4L, 1000.0, 250.0, 100.0, 400.0), (series.Count, series.Value, series.Average!.Value, series.Min!.Value, series.Max!.Value));
        Assert.InRange(series.P95!.Value, 250, 400);
        Assert.Equal(4, Assert.Single(Assert.Single(metrics, m => m.Name == "queue.depth").Series).Value);
    }
}
