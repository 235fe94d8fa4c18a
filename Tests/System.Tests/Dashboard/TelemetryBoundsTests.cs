using Google.Protobuf;
using VoiceAnalytics.AppHost.Telemetry;
using VoiceAnalytics.System.Tests.Dashboard.Support;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>The store keeps at most its configured number of items; the oldest go first.</summary>
public sealed class TelemetryBoundsTests
{
    [Fact]
    public async Task ManyBatchesLeaveAtMostMaxSpansAndDropTheOldestFirst()
    {
        await using var host = await DashboardTestHost.StartAsync(new Dictionary<string, string?> { ["Dashboard:Telemetry:MaxSpans"] = "1000" });
        using var client = host.AnonymousClient();
        var traceIds = new List<string>();
        for (var batch = 0; batch < 120; batch++)
        {
            var traceId = Guid.NewGuid().ToString("N");
            traceIds.Add(traceId);
            using var response = await client.PostAsync("/v1/traces", OtlpRequests.Protobuf(OtlpRequests.Spans("gateway", 25, traceId).ToByteArray()));
            response.EnsureSuccessStatusCode();
            Assert.True(host.Store.Counts().Spans <= 1000);
        }

        var counts = host.Store.Counts();
        Assert.Equal(1000, counts.Spans);
        Assert.Equal(120 * 25 - 1000, counts.DroppedSpans);
        Assert.Empty(host.Store.GetTrace(traceIds[0]));
        Assert.Equal(25, host.Store.GetTrace(traceIds[^1]).Count);
        Assert.Equal(40, host.Store.ListTraces(new TraceQuery(Limit: 5_000)).Count);
    }

    [Fact]
    public void LogsAndMetricPointsAreBoundedTheSameWay()
    {
        var store = new TelemetryStore(Microsoft.Extensions.Options.Options.Create(new TelemetryLimits { MaxLogs = 50, MaxMetricPoints = 30 }));
        for (var i = 0; i < 400; i++)
        {
            store.AddLogs([new StoredLog(0, DateTimeOffset.UtcNow, "crm", "Information", 9, $"log {i}", "c", [], null, null, null)]);
            store.AddMetricPoints([new StoredMetricPoint("crm", "crm.exports", "", "", MetricTypes.Counter, DateTimeOffset.UtcNow, [], i, 0, null, null, [], [])]);
        }

        var counts = store.Counts();
        Assert.Equal((50, 30, 350L, 370L), (counts.Logs, counts.MetricPoints, counts.DroppedLogs, counts.DroppedMetricPoints));
        Assert.Equal("log 399", store.QueryLogs(new LogQuery())[0].Message);
        Assert.Equal("log 350", store.Logs()[0].Message);
        Assert.Equal(399, Assert.Single(Assert.Single(store.ListMetrics()).Series).Value);
    }

    [Fact]
    public void BoundedBufferOverwritesTheOldestItem()
    {
        var buffer = new BoundedBuffer<int>(3);
        foreach (var i in Enumerable.Range(1, 5))
        {
            buffer.Add(i);
        }

        Assert.Equal([3, 4, 5], buffer.OldestFirst());
        Assert.Equal([5, 4, 3], buffer.NewestFirst());
        Assert.Equal((3, 2L), (buffer.Count, buffer.Dropped));
    }

    [Fact]
    public void ZeroCapacityIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedBuffer<int>(0));

    [Fact]
    public async Task InvalidLimitsFailAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            DashboardTestHost.StartAsync(new Dictionary<string, string?> { ["Dashboard:Telemetry:MaxSpans"] = "0" }));
        Assert.Contains("MaxSpans", error.Message);
    }
}
