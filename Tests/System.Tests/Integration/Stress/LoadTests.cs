using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.System.Tests.Support;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Integration.Stress;

/// <summary>
/// Load figures for docs/benchmarks-stress.md (bench/stress/run-load.sh): the whole pipeline at a sustained webhook
/// rate (fake LLM 200 ms, ANALYZE_MAX_CONCURRENCY=8, ANALYZE_MIN_MS=0), and the gateway alone at its maximum rate.
/// The load generator runs in this process, on the same machine as the app.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Load")]
public sealed class LoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);

    [LoadFact]
    public async Task SustainedWebhookRateFlowsThroughToTheCrm()
    {
        var seconds = StressScale.Pick("STRESS_LOAD_SEC", 30, 120);
        var rate = StressScale.Pick("STRESS_LOAD_RATE", 20, 30);
        var report = new StressReport("load-pipeline", output);
        await using var app = await StressApp.StartAsync(new StressAppSettings
        {
            LlmLatency = TimeSpan.FromMilliseconds(200),
            AnalyzeMaxConcurrency = 8,
            CrmLatency = TimeSpan.FromMilliseconds(50),
        });
        var prefix = WebhookBodies.NewRunPrefix("load");
        var count = seconds * rate;
        var sender = new WebhookSender(app.Gateway, app.Signer, maxAttempts: 1);
        var sentAt = new ConcurrentDictionary<string, DateTime>();
        var acks = new ConcurrentBag<double>();
        var samples = new List<string>();
        using var sampling = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var sampler = SampleAsync(app, clock, samples, sampling.Token);

        var tasks = new List<Task<Delivery>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
            var conversationId = WebhookBodies.ConversationId(prefix, i);
            var body = WebhookBodies.Transcription(conversationId);
            sentAt[conversationId] = DateTime.UtcNow;
            tasks.Add(TimedAsync(sender, conversationId, body, acks));
        }
        var deliveries = await Task.WhenAll(tasks);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var counts = await new PipelineLedger(app.Database, app.Crm, prefix).WaitForCompletionAsync(count, StressApp.Patience);
        var drainedSeconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;

        var firstLead = app.Crm.Requests
            .Where(r => r.RecordId is not null)
            .Select(r => (Conversation: PipelineLedger.ConversationOf(r.Body), r.ReceivedUtc))
            .Where(r => r.Conversation is not null && sentAt.ContainsKey(r.Conversation))
            .GroupBy(r => r.Conversation!)
            .ToDictionary(g => g.Key, g => g.Min(r => r.ReceivedUtc));
        var endToEnd = firstLead.Select(p => (p.Value - sentAt[p.Key]).TotalMilliseconds).Order().ToList();
        var ackSorted = acks.Order().ToList();

        report.Line(string.Create(CultureInfo.InvariantCulture, $"{count} webhooks at {rate}/s for {seconds} s (sent in {sendSeconds:0.0} s, drained at {drainedSeconds:0.0} s); fake LLM 200 ms, ANALYZE_MAX_CONCURRENCY=8, ANALYZE_MIN_MS=0, fake CRM 50 ms"));
        report.Line($"webhooks: {DeliverySummary.Of(deliveries)}");
        report.Line($"pipeline: {counts}");
        report.Line("| measure | p50 ms | p90 ms | p99 ms | max ms |");
        report.Line("|---|---|---|---|---|");
        report.Line(Row("webhook acknowledged (200)", ackSorted));
        report.Line(Row("webhook → lead received by CRM", endToEnd));
        report.Line("");
        report.Line("| t (s) | analysis queued | analysis running | oldest queued (s) | crm queued | crm running | gateway RSS MB | analysis RSS MB | crm RSS MB | postgres RSS MB (all backends) | load avg |");
        report.Line("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var sample in samples)
        {
            report.Line(sample);
        }
        report.Save();

        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        Assert.True(counts.Complete, counts.ToString());
        Assert.Equal(count, endToEnd.Count);
    }

    [LoadFact]
    public async Task GatewayAloneAtItsMaximumRate()
    {
        var seconds = StressScale.Pick("STRESS_GATEWAY_SEC", 10, 30);
        const int connections = 32;
        var report = new StressReport("load-gateway", output);
        await using var app = await StressApp.StartAsync();
        // The gateway and Postgres alone: the workers are stopped, so ingest does not share the CPU with analysis.
        await app.StopAsync("crm");
        await app.StopAsync("analysis");
        var prefix = WebhookBodies.NewRunPrefix("gwmax");
        var gatewayPid = app.Resource("gateway").Pid!.Value;
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var next = -1;
        long peakRss = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var memory = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, ProcessMemory.RssBytes(gatewayPid));
                await Task.Delay(250);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var conversationId = WebhookBodies.ConversationId(prefix, Interlocked.Increment(ref next));
                using var request = app.Signer.CreateRequest(WebhookBodies.Transcription(conversationId));
                var started = Stopwatch.GetTimestamp();
                using var response = await app.Gateway.SendAsync(request);
                if ((int)response.StatusCode == 200)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        await memory;
        var sorted = latencies.Order().ToList();
        var stored = await new PipelineLedger(app.Database, app.Crm, prefix).CountAsync(sorted.Count);

        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"gateway alone (analysis and crm stopped), {connections} connections, ~7.5 KB post_call_transcription bodies, {elapsed:0.0} s"));
        report.Line("| acknowledged/s | p50 ms | p99 ms | max ms | non-200 | stored rows | gateway peak RSS MB |");
        report.Line("|---|---|---|---|---|---|---|");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"| {sorted.Count / elapsed:0} | {Percentiles.Of(sorted, 50):0.0} | {Percentiles.Of(sorted, 99):0.0} | {sorted.LastOrDefault():0.0} | {failures} | {stored.Events} | {peakRss / 1048576.0:0} |"));
        report.Save();

        Assert.Equal(0, failures);
        Assert.Equal(sorted.Count, stored.Events);
    }

    private static async Task<Delivery> TimedAsync(WebhookSender sender, string conversationId, byte[] body, ConcurrentBag<double> acks)
    {
        var started = Stopwatch.GetTimestamp();
        var delivery = await sender.SendAsync(conversationId, body);
        acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return delivery;
    }

    private static async Task SampleAsync(StressApp app, Stopwatch clock, List<string> samples, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var options = GrpcClients.Deadline(TimeSpan.FromSeconds(5));
                var analysis = await app.AnalysisGrpc.GetQueueStatsAsync(new QueueStatsRequest(), options);
                var crm = await app.CrmGrpc.GetQueueStatsAsync(new QueueStatsRequest(), options);
                double Mb(string name, bool children = false) => app.Resource(name).Pid is { } pid
                    ? (children ? ProcessMemory.RssWithChildrenBytes(pid) : ProcessMemory.RssBytes(pid)) / 1048576.0
                    : 0;
                samples.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {clock.Elapsed.TotalSeconds:0} | {analysis.Queued} | {analysis.Running} | {analysis.OldestQueuedAgeSeconds:0.0} | {crm.Queued} | {crm.Running} | {Mb("gateway"):0} | {Mb("analysis"):0} | {Mb("crm"):0} | {Mb("postgres", children: true):0} | {StressReport.LoadAverage().Split(' ')[0]} |"));
                await Task.Delay(SampleEvery, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RpcException)
            {
                // A sample missed (a service busy past the deadline); the next one follows.
            }
        }
    }

    private static string Row(string name, IReadOnlyList<double> sorted) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Percentiles.Of(sorted, 50):0} | {Percentiles.Of(sorted, 90):0} | {Percentiles.Of(sorted, 99):0} | {sorted.LastOrDefault():0} |");
}
