using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using VoiceAnalytics.System.Tests.Support;
using Xunit.Abstractions;

namespace VoiceAnalytics.System.Tests.Integration.Stress;

/// <summary>
/// Seeded, repeatable bad input against the whole app: hostile webhooks at the gateway and hostile gRPC calls at
/// the analysis and CRM services. Never a 5xx for a client error, never a crash, nothing stored from a refusal.
/// CI sizes 2,000 webhooks and 600 gRPC calls; <c>STRESS_SCALE=full</c> 10,000 and 4,000 (bench/stress/run-fuzz.sh).
/// </summary>
[Collection(StressCollection.Name)]
[Trait("Category", "Stress")]
public sealed class FuzzTests(FuzzTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<FuzzTests.Fixture>
{
    public const int MaxBodyBytes = 256 * 1024;

    private readonly StressApp _app = fixture.App;

    /// <summary>The offline analyzer, so hostile transcripts are read by the service's own rules; a small body limit keeps oversized cases cheap.</summary>
    public sealed class Fixture() : StressAppFixture(new StressAppSettings { UseFakeOpenAi = false, WebhookMaxBodyBytes = MaxBodyBytes });

    [Fact]
    public async Task HostileWebhooksGetClearRefusalsNeverAServerErrorAndStoreNothing()
    {
        var count = StressScale.Pick("STRESS_FUZZ_WEBHOOKS", 2000, 10_000);
        var seed = StressScale.Seed;
        var report = new StressReport("fuzz-webhooks", output);
        var prefix = WebhookBodies.NewRunPrefix("fuzz");
        var cases = new WebhookFuzzer(new Random(seed), _app.Gateway, _app.Signer, prefix, MaxBodyBytes).Generate(count);
        var before = await RowCounts.ReadAsync(_app.Database);
        var clock = Stopwatch.StartNew();

        var results = new ConcurrentBag<(Support.WebhookFuzzCase Case, int Status)>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (fuzzCase, _) =>
        {
            int status;
            try
            {
                status = await fuzzCase.SendAsync();
            }
            catch (HttpRequestException)
            {
                status = 0; // the connection was dropped
            }
            results.Add((fuzzCase, status));
        });
        var elapsed = clock.Elapsed;

        // A 5xx the case allows is a protocol answer, not a server failure (505 to a request line claiming HTTP/9.9).
        var serverErrors = results.Where(r => r.Status >= 500 && !r.Case.Allowed.Contains(r.Status)).ToList();
        var unexpected = results.Where(r => !r.Case.Allowed.Contains(r.Status)).ToList();
        var acceptedIds = results.Where(r => r.Status == 200 && r.Case.ConversationId is not null).Select(r => r.Case.ConversationId!).ToHashSet();
        var refusedIds = results.Where(r => r.Status != 200 && r.Case.ConversationId is not null).Select(r => r.Case.ConversationId!).ToHashSet();
        var after = await RowCounts.ReadAsync(_app.Database);

        // An acknowledged event may sit in the gateway's spool for a while (a batch Postgres refused goes there first).
        var storedIds = await StoredConversationsAsync(prefix);
        for (var quiet = 0; quiet < 20 && !acceptedIds.IsSubsetOf(storedIds); quiet++)
        {
            await Task.Delay(1000);
            var now = await StoredConversationsAsync(prefix);
            quiet = now.Count > storedIds.Count ? 0 : quiet;
            storedIds = now;
        }
        var acceptedNotStored = results.Where(r => r.Status == 200 && r.Case.ConversationId is { } id && !storedIds.Contains(id)).ToList();

        report.Line(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {count} hostile webhooks in {elapsed.TotalSeconds:0.0} s ({count / elapsed.TotalSeconds:0} /s), 16 at a time"));
        foreach (var family in results.GroupBy(r => r.Case.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.Line($"  {family.Key,-20} {family.Count(),6}: {string.Join(", ", family.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");
        }
        report.Line($"server errors (5xx): {serverErrors.Count}; answers outside the expected set: {unexpected.Count}");
        foreach (var (fuzzCase, status) in unexpected.Take(20))
        {
            report.Line($"  unexpected {status} for {fuzzCase.Family}/{fuzzCase.Detail}");
        }
        report.Line($"accepted {acceptedIds.Count} (stored {storedIds.Count}), refused {refusedIds.Count}, refused but stored {storedIds.Count(refusedIds.Contains)}, acknowledged but never stored {acceptedNotStored.Count}");
        foreach (var group in acceptedNotStored.GroupBy(r => $"{r.Case.Family}/{r.Case.Detail}").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            report.Line($"  acknowledged but never stored: {group.Key} ×{group.Count()}");
        }
        report.Line($"rows before {before}; right after the run {after}");

        // The accepted hostile events go through the offline analyzer and the CRM export; the services must survive them.
        await _app.WaitForQueuesIdleAsync();
        var jobs = await RowCounts.ReadAsync(_app.Database);
        report.Line($"after the pipeline settled: {jobs}");
        await _app.AssertAllAliveAndHealthyAsync();
        report.Line("processes alive, /health 200 on gateway, analysis, crm");
        report.Save();

        Assert.Empty(serverErrors.Select(r => $"{r.Status} for {r.Case.Family}/{r.Case.Detail}"));
        Assert.Empty(unexpected.Select(r => $"{r.Status} for {r.Case.Family}/{r.Case.Detail}"));
        Assert.DoesNotContain(storedIds, refusedIds.Contains);
        Assert.Empty(acceptedNotStored.Select(r => $"{r.Case.Family}/{r.Case.Detail}"));
        Assert.Equal(acceptedIds.Order(StringComparer.Ordinal), storedIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HostileGrpcFramesNeitherCrashTheServicesNorChangeAnything()
    {
        var perService = StressScale.Pick("STRESS_FUZZ_GRPC", 300, 2000);
        var report = new StressReport("fuzz-grpc", output);
        await _app.WaitForQueuesIdleAsync();
        var before = await RowCounts.ReadAsync(_app.Database);
        var pids = new[] { "analysis", "crm" }.ToDictionary(n => n, n => _app.Resource(n).Pid);
        using var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = TimeSpan.FromSeconds(60) };
        string[] analysisMethods = ["Submit", "AnalyzeNow", "GetAnalysis", "GetQueueStats"];
        string[] crmMethods = ["NudgeExport", "GetExportStatus", "RetryExport", "GetCircuitState", "GetQueueStats"];
        var targets = new[]
        {
            ("analysis", analysisMethods.Select(m => $"/voiceanalytics.analysis.v1.Analysis/{m}").ToList()),
            ("crm", crmMethods.Select(m => $"/voiceanalytics.crm.v1.Crm/{m}").ToList()),
        };
        var clock = Stopwatch.StartNew();
        var outcomes = new ConcurrentBag<(string Service, GrpcFuzzOutcome Outcome)>();
        foreach (var (service, methods) in targets)
        {
            var fuzzer = new GrpcFuzzer(http, _app.App.GetEndpoint(service, "grpc"), methods);
            var serviceSeed = StressScale.Seed + (service == "crm" ? 1_000_000 : 0);
            // Call i draws from its own seeded generator: the cases are repeatable, only their interleaving (8 at a time) is not.
            await Parallel.ForEachAsync(Enumerable.Range(0, perService), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, _) => outcomes.Add((service, await fuzzer.SendOneAsync(new Random(serviceSeed + i)))));
        }
        var elapsed = clock.Elapsed;

        var httpErrors = outcomes.Where(o => o.Outcome.HttpStatus >= 500).ToList();
        // A message the library cannot read never reaches the service; a readable one must never make a handler throw.
        var handlerFailures = outcomes.Where(o => o.Outcome.Message == GrpcFuzzer.HandlerFailure && !GrpcFuzzer.IsUnreadableMessage(o.Outcome.Variant)).ToList();
        report.Line(string.Create(CultureInfo.InvariantCulture, $"seed {StressScale.Seed}: {outcomes.Count} hostile gRPC calls in {elapsed.TotalSeconds:0.0} s"));
        foreach (var group in outcomes.GroupBy(o => (o.Service, o.Outcome.Variant)).OrderBy(g => g.Key))
        {
            report.Line($"  {group.Key.Service,-8} variant {group.Key.Variant,2}: {string.Join(", ", group.GroupBy(o => $"http {o.Outcome.HttpStatus} grpc {o.Outcome.GrpcStatus}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}"))}");
        }
        report.Line($"HTTP 5xx: {httpErrors.Count}; handler exceptions on readable messages: {handlerFailures.Count}");
        var after = await RowCounts.ReadAsync(_app.Database);
        report.Line($"rows before {before}; after {after}");
        await _app.AssertAllAliveAndHealthyAsync();
        var samePids = pids.All(p => _app.Resource(p.Key).Pid == p.Value);
        report.Line($"same processes as before: {samePids}; /health 200");
        report.Save();

        Assert.Empty(httpErrors.Select(o => $"{o.Service} {o.Outcome}"));
        Assert.Empty(handlerFailures.Select(o => $"{o.Service} {o.Outcome}"));
        Assert.Empty(outcomes.Where(o => GrpcFuzzer.IsUnreadableMessage(o.Outcome.Variant) && o.Outcome.GrpcStatus == "0").Select(o => $"{o.Service} {o.Outcome}"));
        Assert.True(samePids, "a service process was replaced during the gRPC fuzz run");
        Assert.Equal(before with { Events = 0, Recordings = 0 }, after with { Events = 0, Recordings = 0 });
    }

    private async Task<HashSet<string>> StoredConversationsAsync(string prefix)
    {
        await using var command = _app.Database.CreateCommand("SELECT conversation_id FROM ingest.webhook_events WHERE conversation_id LIKE @p");
        command.Parameters.AddWithValue("p", prefix + "%");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
