using System.Diagnostics;
using System.Globalization;
using VoiceAnalytics.System.Tests.Support;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Integration.Stress;

/// <summary>
/// The crash test: a burst of distinct signed webhooks through the whole app while the analysis service and the
/// CRM service are each killed with SIGKILL and restarted, and Postgres is restarted. Nothing may be lost or doubled.
/// CI size 200 webhooks; <c>STRESS_SCALE=full</c> (bench/stress/run-crash.sh) sends 2,000.
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingServicesAndRestartingPostgresDuringABurstLosesAndDoublesNothing()
    {
        var count = StressScale.Pick("STRESS_WEBHOOKS", 200, 2000);
        var rate = StressScale.Pick("STRESS_RATE", 10, 25);
        var report = new StressReport("crash", output);
        await using var app = await StressApp.StartAsync(new StressAppSettings { LlmLatency = TimeSpan.FromMilliseconds(100), AnalyzeMaxConcurrency = 4 });
        var prefix = WebhookBodies.NewRunPrefix("crash");
        var burst = new BurstSender(new WebhookSender(app.Gateway, app.Signer), prefix, count, concurrency: 32, perSecond: rate);
        var clock = Stopwatch.StartNew();

        var sending = burst.RunAsync();
        var faults = InjectFaultsAsync(app, burst, report, clock);
        var deliveries = await sending;
        report.Line(string.Create(CultureInfo.InvariantCulture, $"burst of {count} at {rate}/s sent in {clock.Elapsed.TotalSeconds:0.0} s"));
        await faults;

        var summary = DeliverySummary.Of(deliveries);
        var ledger = new PipelineLedger(app.Database, app.Crm, prefix);
        var counts = await ledger.WaitForCompletionAsync(summary.Accepted, StressScale.Full ? TimeSpan.FromMinutes(15) : StressApp.Patience,
            c => output.WriteLine($"[{clock.Elapsed.TotalSeconds:0}s, in progress] {c}"));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"pipeline drained at {clock.Elapsed.TotalSeconds:0.0} s"));
        report.Line($"webhooks: {summary}");
        report.Line($"pipeline: {counts}");
        report.Line(string.Create(CultureInfo.InvariantCulture,
            $"counts: accepted={summary.Accepted} retried={summary.Retried} analysed={counts.Analysed} exported={counts.ExportsDone} duplicates={counts.MultiplyAnalysed + counts.DuplicateLeads} lost={counts.Lost}"));
        report.Save();

        // Every try was answered 200 or with a status ElevenLabs retries on; in the end each webhook was accepted.
        Assert.All(deliveries.SelectMany(d => d.Trail), t => Assert.True(t == "200" || !int.TryParse(t, out var s) || WebhookSender.IsRetryable(s), $"non-retryable answer {t}"));
        Assert.Equal(count, summary.Accepted);
        Assert.True(counts.Complete, $"{counts}\n{app.Tail("analysis")}\n{app.Tail("crm")}");
        Assert.Equal(0, counts.MultiplyAnalysed);
        Assert.Equal(0, counts.DuplicateLeads);
        Assert.Equal(0, counts.Lost);
        Assert.Equal(0, counts.AnalysisJobsDead + counts.CrmJobsDead);
        await app.AssertAllAliveAndHealthyAsync();
    }

    /// <summary>Restart Postgres at 10 % of the burst, kill -9 analysis at 30 %, kill -9 crm at 55 % (or as soon as the previous fault is over); each brought back through the AppHost.</summary>
    private static async Task InjectFaultsAsync(StressApp app, BurstSender burst, StressReport report, Stopwatch clock)
    {
        async Task FaultAsync(double at, string what, Func<Task> fault)
        {
            await burst.ReachedAsync(at);
            var started = clock.Elapsed;
            var sent = burst.Started;
            await fault();
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"{what}: at {started.TotalSeconds:0.0} s ({sent}/{burst.Count} sent), healthy again after {(clock.Elapsed - started).TotalSeconds:0.0} s"));
        }

        // Postgres first, while webhooks are still arriving, so that the gateway's spool path is part of the run.
        await FaultAsync(0.10, "restart postgres", async () =>
        {
            await app.RestartAsync("postgres");
            await app.App.WaitForAllHealthyAsync(StressApp.Patience);
        });
        await FaultAsync(0.30, "kill -9 analysis + restart", async () =>
        {
            await app.KillHardAsync("analysis");
            await app.RestartAsync("analysis");
        });
        await FaultAsync(0.55, "kill -9 crm + restart", async () =>
        {
            await app.KillHardAsync("crm");
            await app.RestartAsync("crm");
        });
    }
}
