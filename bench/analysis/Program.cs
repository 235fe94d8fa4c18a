using System.Globalization;
using VoiceAnalytics.Bench.Analysis;
using VoiceAnalytics.TestSupport;

// Usage: dotnet run -c Release --project bench/analysis [-- <llm jobs> <overhead jobs>]
var llmJobs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
var overheadJobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
await using var pg = await ThrowawayPostgres.StartAsync();

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

// 1. Throughput with the fake LLM at 200 ms, 8 calls in flight, no spacing: the ceiling is 8 / 0.2 s = 40/s.
await using (var llm = await FakeLlm.StartAsync(TimeSpan.FromMilliseconds(200)))
{
    await BenchRun.RunAsync(pg, 40, 8, Llm(llm, loops: null), analyzer: null); // warm-up (JIT, connections)
    // Default claim loops (as many as calls may be in flight, plus spares), then exactly 8 loops.
    foreach (var loops in new int?[] { null, 8 })
    {
        var elapsed = await BenchRun.RunAsync(pg, llmJobs, 8, Llm(llm, loops), analyzer: null);
        var rate = llmJobs / elapsed.TotalSeconds;
        Console.WriteLine($"llm 200 ms, concurrency 8, claim loops {(loops?.ToString(CultureInfo.InvariantCulture) ?? "default")}: " +
                          $"{llmJobs} analyses in {elapsed.TotalSeconds:0.00} s = {rate:0.0}/s (target >= 36/s, ceiling 40/s: {(rate >= 36 ? "met" : "MISSED")})");
    }
}

static Dictionary<string, string?> Llm(FakeLlm llm, int? loops) => new()
{
    ["OPENAI_API_KEY"] = "sk-bench",
    ["OPENAI_BASE_URL"] = llm.BaseUrl,
    ["Jobs:analysis:Concurrency"] = loops?.ToString(CultureInfo.InvariantCulture),
};

// 2. The queue's own overhead per job: claim, load the event, store the analysis, enqueue the CRM job and
// complete, all in the real handler, with an analyzer that costs nothing (offline key-less settings).
var none = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "" };
await BenchRun.RunAsync(pg, 200, 1, none, new InstantAnalyzer(throughThrottle: false)); // warm-up
foreach (var (concurrency, throttle) in new[] { (1, false), (1, true), (8, false), (8, true) })
{
    var elapsed = await BenchRun.RunAsync(pg, overheadJobs, concurrency, none, new InstantAnalyzer(throttle));
    Console.WriteLine($"queue overhead, concurrency {concurrency}, throttle {(throttle ? "on " : "off")}: " +
                      $"{overheadJobs} jobs in {elapsed.TotalSeconds:0.00} s = {overheadJobs / elapsed.TotalSeconds:0} jobs/s, " +
                      $"{elapsed.TotalMilliseconds / overheadJobs * concurrency:0.00} ms per job per loop");
}
