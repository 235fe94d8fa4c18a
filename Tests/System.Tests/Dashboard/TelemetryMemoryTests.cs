using VoiceAnalytics.AppHost.Telemetry;
using VoiceAnalytics.System.Tests.Dashboard.Support;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>
/// The memory check, by counts: 2,000 webhooks' worth of telemetry (each: seven spans over three services,
/// three logs, metric points) through the real exporters leaves the store at its configured bounds, with the
/// newest conversations kept and the oldest dropped.
/// </summary>
public sealed class TelemetryMemoryTests
{
    private const int Webhooks = 2_000;
    private const int MaxSpans = 5_000;
    private const int MaxLogs = 3_000;
    private const int MaxMetricPoints = 50;

    [Fact]
    public async Task TwoThousandWebhooksOfTelemetryLeaveTheStoreWithinItsConfiguredBounds()
    {
        await using var host = await DashboardTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Telemetry:MaxSpans"] = MaxSpans.ToString(),
            ["Dashboard:Telemetry:MaxLogs"] = MaxLogs.ToString(),
            ["Dashboard:Telemetry:MaxMetricPoints"] = MaxMetricPoints.ToString(),
        });
        string lastTraceId;
        using (var pipeline = new FakePipeline(host.BaseUrl))
        {
            for (var i = 0; i < Webhooks - 1; i++)
            {
                pipeline.EmitConversation($"conv_mem_{i}", i);
                if (i % 100 == 99)
                {
                    // Export as the services would over time; one burst of 14,000 spans would overflow the SDK's own queue.
                    pipeline.Flush();
                    AssertWithinBounds(host.Store.Counts());
                }
            }
            lastTraceId = pipeline.EmitConversation("conv_mem_last", Webhooks);
        }

        var counts = host.Store.Counts();
        AssertWithinBounds(counts);
        Assert.Equal((MaxSpans, MaxLogs, MaxMetricPoints), (counts.Spans, counts.Logs, counts.MetricPoints));
        Assert.True(counts.DroppedSpans >= Webhooks * 7 - MaxSpans - 100, $"dropped only {counts.DroppedSpans} spans");
        Assert.True(counts.DroppedLogs > 0 && counts.DroppedMetricPoints > 0);

        var last = host.Store.FindConversation("conv_mem_last");
        Assert.Equal(lastTraceId, Assert.Single(last.Traces).TraceId);
        Assert.Equal(["gateway", "analysis", "crm"], last.Traces[0].Services);
        Assert.Equal(3, last.Logs.Count);
        Assert.Empty(host.Store.FindConversation("conv_mem_0").Traces);
        Assert.Empty(host.Store.FindConversation("conv_mem_0").Logs);
    }

    private static void AssertWithinBounds(TelemetryCounts counts)
    {
        Assert.InRange(counts.Spans, 0, MaxSpans);
        Assert.InRange(counts.Logs, 0, MaxLogs);
        Assert.InRange(counts.MetricPoints, 0, MaxMetricPoints);
    }
}
