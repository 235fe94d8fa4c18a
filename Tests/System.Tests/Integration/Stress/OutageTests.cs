using System.Diagnostics;
using System.Globalization;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.System.Tests.Support;
using VoiceAnalytics.TestSupport.Fakes;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Integration.Stress;

/// <summary>Outages of each outer dependency, through the whole app: OpenAI, the CRM, Postgres during ingest.</summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class OutageTests(OutageTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<OutageTests.Fixture>
{
    private readonly StressApp _app = fixture.App;

    /// <summary>CI keeps the queue's retry delays short so a short outage shows several backoffs; full size keeps the service defaults (5 s doubling).</summary>
    public sealed class Fixture() : StressAppFixture(new StressAppSettings
    {
        LlmLatency = TimeSpan.FromMilliseconds(50),
        RetryBaseDelay = StressScale.Full ? null : TimeSpan.FromSeconds(1),
        CrmBreakerOpenSeconds = StressScale.Full ? 60 : 5,
    });

    [Fact]
    public async Task OpenAiDownForAWhileBacksJobsOffAndCompletesThemAllAfterRecovery()
    {
        var outage = TimeSpan.FromSeconds(StressScale.Pick("STRESS_LLM_OUTAGE_SEC", 15, 60));
        var count = StressScale.Pick("STRESS_OUTAGE_WEBHOOKS", 20, 100);
        var report = new StressReport("outage-openai", output);
        var prefix = WebhookBodies.NewRunPrefix("llmdown");
        var ledger = new PipelineLedger(_app.Database, _app.Crm, prefix);
        var requestsBefore = _app.OpenAi.Requests.Count;
        _app.OpenAi.Reply = _ => new FakeLlmReply(503);
        var clock = Stopwatch.StartNew();
        try
        {
            var deliveries = await new BurstSender(new WebhookSender(_app.Gateway, _app.Signer), prefix, count, 16, 50).RunAsync();
            Assert.All(deliveries, d => Assert.Equal(200, d.Status));
            while (clock.Elapsed < outage)
            {
                await Task.Delay(1000);
            }
            var during = await ledger.CountAsync(count);
            var attempts = await AttemptsAsync(prefix);
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"OpenAI answering 503 for {outage.TotalSeconds:0} s: {count} webhooks accepted, {_app.OpenAi.Requests.Count - requestsBefore} LLM calls refused, job attempts so far min {attempts.Min()} max {attempts.Max()}"));
            report.Line($"during outage: {during}");
            Assert.Equal(0, during.Analysed);
            Assert.Equal(0, during.AnalysisJobsDead);
            Assert.True(attempts.Max() > 1, "no job was retried during the outage");
        }
        finally
        {
            _app.OpenAi.Reply = _ => FakeLlmReply.Ok();
        }

        var recovered = clock.Elapsed;
        var counts = await ledger.WaitForCompletionAsync(count, StressApp.Patience, c => output.WriteLine(c.ToString()));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"after recovery: all complete {(clock.Elapsed - recovered).TotalSeconds:0.0} s later"));
        report.Line($"pipeline: {counts}");
        report.Save();
        Assert.True(counts.Complete, counts.ToString());
        Assert.Equal(0, counts.AnalysisJobsDead + counts.CrmJobsDead + counts.MultiplyAnalysed + counts.DuplicateLeads);
    }

    [Fact]
    public async Task CrmDownOpensTheBreakerWhileIngestAndAnalysisContinueAndExportsCompleteAfterRecovery()
    {
        var count = StressScale.Pick("STRESS_OUTAGE_WEBHOOKS", 20, 100);
        var report = new StressReport("outage-crm", output);
        var prefix = WebhookBodies.NewRunPrefix("crmdown");
        var ledger = new PipelineLedger(_app.Database, _app.Crm, prefix);
        _app.Crm.Mode = FakeCreatioMode.ServerError;
        var clock = Stopwatch.StartNew();
        PipelineCounts during;
        try
        {
            var deliveries = await new BurstSender(new WebhookSender(_app.Gateway, _app.Signer), prefix, count, 16, 50).RunAsync();
            Assert.All(deliveries, d => Assert.Equal(200, d.Status));

            // Ingest and analysis go on while the CRM is down; the breaker opens.
            var openSeen = false;
            var deadline = DateTime.UtcNow + StressApp.Patience;
            do
            {
                await Task.Delay(500);
                during = await ledger.CountAsync(count);
                openSeen |= (await _app.CrmGrpc.GetCircuitStateAsync(new CircuitStateRequest())).State == "open";
            }
            while ((during.Analysed < count || !openSeen) && DateTime.UtcNow < deadline);
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"CRM answering 500: after {clock.Elapsed.TotalSeconds:0.0} s all {during.Analysed}/{count} analysed, breaker seen open: {openSeen}, leads {during.Leads}"));
            report.Line($"during outage: {during}");
            Assert.True(openSeen, "the circuit breaker never opened");
            Assert.Equal(count, during.Events);
            Assert.Equal(count, during.Analysed);
            Assert.Equal(0, during.Leads);
            Assert.Equal(0, during.CrmJobsDead);
        }
        finally
        {
            _app.Crm.Mode = FakeCreatioMode.Ok;
        }

        var recovered = clock.Elapsed;
        var counts = await ledger.WaitForCompletionAsync(count, StressApp.Patience, c => output.WriteLine(c.ToString()));
        var state = (await _app.CrmGrpc.GetCircuitStateAsync(new CircuitStateRequest())).State;
        report.Line(string.Create(CultureInfo.InvariantCulture, $"after recovery: all exported {(clock.Elapsed - recovered).TotalSeconds:0.0} s later; breaker {state}"));
        report.Line($"pipeline: {counts}");
        report.Save();
        Assert.True(counts.Complete, counts.ToString());
        Assert.Equal(0, counts.CrmJobsDead + counts.DuplicateLeads);
        Assert.Equal("closed", state);
    }

    [Fact]
    public async Task PostgresDownDuringIngestSpoolsEveryWebhookAndStoresEachOnceAfterRecovery()
    {
        var count = StressScale.Pick("STRESS_OUTAGE_WEBHOOKS", 20, 100);
        var report = new StressReport("outage-postgres", output);
        var prefix = WebhookBodies.NewRunPrefix("pgdown");
        var ledger = new PipelineLedger(_app.Database, _app.Crm, prefix);
        var clock = Stopwatch.StartNew();
        IReadOnlyCollection<Delivery> first, again;
        try
        {
            await _app.StopAsync("postgres"); // the dashboard's Stop command; returns once it has exited
            // Each webhook twice, as ElevenLabs' retries would resend it: the copies must collapse into one row.
            first = await new BurstSender(new WebhookSender(_app.Gateway, _app.Signer), prefix, count, 16, 50).RunAsync();
            again = await new BurstSender(new WebhookSender(_app.Gateway, _app.Signer), prefix, count, 16, 50).RunAsync();
            report.Line(string.Create(CultureInfo.InvariantCulture,
                $"Postgres stopped: {count} webhooks sent twice, answers {DeliverySummary.Of([.. first, .. again])}, spool {SpoolLines()} lines"));
        }
        finally
        {
            await _app.StartResourceAsync("postgres");
        }
        Assert.All(first.Concat(again), d => Assert.Equal(200, d.Status));

        await _app.App.WaitForAllHealthyAsync(StressApp.Patience);
        var counts = await ledger.WaitForCompletionAsync(count, StressApp.Patience, c => output.WriteLine(c.ToString()));
        report.Line(string.Create(CultureInfo.InvariantCulture, $"after restart: complete {clock.Elapsed.TotalSeconds:0.0} s after the outage began"));
        report.Line($"pipeline: {counts}");
        report.Save();
        Assert.True(counts.Complete, counts.ToString());
        Assert.Equal(0, counts.MultiplyAnalysed + counts.DuplicateLeads + counts.AnalysisJobsDead + counts.CrmJobsDead);
    }

    private int SpoolLines()
    {
        var directory = Path.GetDirectoryName(_app.SpoolPath)!;
        return Directory.Exists(directory) ? Directory.GetFiles(directory).Sum(f => File.ReadLines(f).Count()) : 0;
    }

    private async Task<List<int>> AttemptsAsync(string prefix)
    {
        await using var command = _app.Database.CreateCommand("SELECT attempts FROM jobs.jobs WHERE queue = 'analysis' AND job_key LIKE @p");
        command.Parameters.AddWithValue("p", prefix + "%");
        var attempts = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            attempts.Add(reader.GetInt32(0));
        }
        return attempts.Count == 0 ? [0] : attempts;
    }
}
