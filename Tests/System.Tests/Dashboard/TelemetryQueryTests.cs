using Microsoft.Extensions.Options;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.System.Tests.Dashboard;

/// <summary>The store's queries over hand-made spans, logs and points.</summary>
public sealed class TelemetryQueryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TelemetryStore _store = new(Options.Create(new TelemetryLimits()));

    private static StoredSpan Span(string trace, string id, string? parent, string service, int startMs, int durationMs,
        string? conversation = null, string status = SpanStatus.Unset) =>
        new(trace, id, parent, $"{service} op {id}", "Internal", service, "s", T0.AddMilliseconds(startMs),
            T0.AddMilliseconds(startMs + durationMs), status, null, [], [], conversation);

    private static StoredLog Log(string service, string level, string message, string? trace = null, string? conversation = null) =>
        new(0, T0, service, level, LogLevels.Rank(level) * 4 + 1, message, "cat", [], trace, null, conversation);

    [Fact]
    public void TraceSummaryNamesTheRootTheServicesTheExtentAndErrors()
    {
        _store.AddSpans([
            Span("t1", "a", null, "gateway", 0, 40, "conv-1"),
            Span("t1", "b", "a", "gateway", 5, 10),
            Span("t1", "c", "a", "analysis", 60, 1000, "conv-1"),
            Span("t1", "d", "c", "crm", 1100, 400, "conv-1", SpanStatus.Error),
            Span("t2", "e", null, "gateway", 5000, 3),
        ]);

        var traces = _store.ListTraces(new TraceQuery());

        Assert.Equal(["t2", "t1"], traces.Select(t => t.TraceId));
        var t1 = traces[1];
        Assert.Equal(("gateway op a", "gateway", 4, true, 1500.0), (t1.RootName, t1.RootService, t1.SpanCount, t1.HasError, t1.DurationMs));
        Assert.Equal(["gateway", "analysis", "crm"], t1.Services);
        Assert.Equal(["conv-1"], t1.ConversationIds);
        Assert.False(traces[0].HasError);
        Assert.Equal(["t1"], _store.ListTraces(new TraceQuery(Service: "crm")).Select(t => t.TraceId));
        Assert.Equal(["t1"], _store.ListTraces(new TraceQuery(ErrorsOnly: true)).Select(t => t.TraceId));
        Assert.Equal(["a", "b", "c", "d"], _store.GetTrace("T1").Select(s => s.SpanId));
    }

    [Fact]
    public void ATraceWhoseRootHasNotArrivedUsesItsEarliestOrphanSpanAsRoot()
    {
        _store.AddSpans([Span("t3", "y", "x", "analysis", 10, 5), Span("t3", "z", "y", "crm", 12, 1)]);

        Assert.Equal("analysis op y", Assert.Single(_store.ListTraces(new TraceQuery())).RootName);
    }

    [Fact]
    public void ConversationSearchReturnsWholeTracesAndTheirLogs()
    {
        _store.AddSpans([
            Span("t1", "a", null, "gateway", 0, 40, "conv-1"),
            Span("t1", "b", "a", "gateway", 5, 10),
            Span("t2", "c", null, "gateway", 100, 40, "conv-2"),
        ]);
        _store.AddLogs([
            Log("gateway", "Information", "accepted", "t1", "conv-1"),
            Log("gateway", "Debug", "db insert", "t1"),
            Log("gateway", "Information", "other", "t2", "conv-2"),
            Log("crm", "Information", "late export without trace", null, "conv-1"),
        ]);

        var view = _store.FindConversation("conv-1");

        Assert.Equal(2, Assert.Single(view.Traces).SpanCount);
        Assert.Equal(["accepted", "db insert", "late export without trace"], view.Logs.Select(l => l.Message));
        Assert.Empty(_store.FindConversation("conv-unknown").Traces);
        Assert.Single(_store.SpansForConversation("conv-1"));
    }

    [Fact]
    public void LogFiltersCombineResourceMinimumLevelTextConversationAndTrace()
    {
        _store.AddLogs([
            Log("gateway", "Information", "Webhook accepted", "t1", "conv-1"),
            Log("gateway", "Warning", "Webhook rejected: stale signature"),
            Log("crm", "Error", "CRM answered 503", "t2", "conv-1"),
            Log("crm", "Debug", "breaker closed"),
        ]);

        Assert.Equal(["CRM answered 503", "Webhook rejected: stale signature"], _store.QueryLogs(new LogQuery(Level: "warning")).Select(l => l.Message));
        Assert.Equal(["breaker closed", "CRM answered 503"], _store.QueryLogs(new LogQuery(Service: "CRM")).Select(l => l.Message));
        Assert.Equal(["Webhook rejected: stale signature", "Webhook accepted"], _store.QueryLogs(new LogQuery(Text: "webhook")).Select(l => l.Message));
        Assert.Equal(["CRM answered 503", "Webhook accepted"], _store.QueryLogs(new LogQuery(ConversationId: "conv-1")).Select(l => l.Message));
        Assert.Equal(["CRM answered 503"], _store.QueryLogs(new LogQuery(TraceId: "t2")).Select(l => l.Message));
        Assert.Equal(["breaker closed"], _store.QueryLogs(new LogQuery(AfterSequence: 3)).Select(l => l.Message));
    }

    [Fact]
    public void LatestMetricValuesAreKeptPerSeriesAndHistoryIsOldestFirst()
    {
        StoredMetricPoint Point(int second, string outcome, double value) =>
            new("gateway", "webhooks.received", "", "{webhook}", MetricTypes.Counter, T0.AddSeconds(second),
                [new TelemetryAttribute("outcome", outcome)], value, 0, null, null, [], []);
        _store.AddMetricPoints([Point(0, "accepted", 1), Point(0, "rejected", 0), Point(5, "accepted", 4), Point(5, "rejected", 2)]);

        var metric = Assert.Single(_store.ListMetrics(nameContains: "webhook"));
        Assert.Equal([("outcome=accepted", 4.0), ("outcome=rejected", 2.0)], metric.Series.Select(s => (s.SeriesKey, s.Value)));
        Assert.Equal([1.0, 4.0], _store.MetricHistory("gateway", "webhooks.received").Where(s => s.SeriesKey == "outcome=accepted").Select(s => s.Value));
        Assert.Empty(_store.ListMetrics(service: "crm"));
    }

    [Theory]
    [InlineData(50, 20.0)]
    [InlineData(95, 47.0)]
    public void HistogramPercentilesInterpolateInsideTheBucket(double percentile, double expected)
    {
        // 10 values in (10, 20], 10 in (20, 50]: the median is the top of the first bucket, p95 near the top of the second.
        var value = HistogramMath.Percentile([10, 20, 50], [0, 10, 10, 0], percentile);

        Assert.NotNull(value);
        Assert.Equal(expected, value.Value, 6);
    }

    [Fact]
    public void SeverityNumbersMapOntoDotnetLevelNames()
    {
        Assert.Equal(["Trace", "Debug", "Information", "Warning", "Error", "Critical", "Information"],
            new[] { 1, 5, 9, 13, 17, 21, 0 }.Select(LogLevels.FromSeverity));
    }
}
