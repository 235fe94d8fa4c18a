using System.Diagnostics;
using System.Globalization;
using System.Net;
using VoiceAnalytics.Bench.Gateway;
using VoiceAnalytics.TestSupport;

// Usage: GatewayLoad pgbench-script <file> [--body-bytes 5000]
//        GatewayLoad requests-file <file> --url http://127.0.0.1:5080 --secret s [--count 100000] [--run-id x]
//                         (pre-signed raw requests for wrk: bench/gateway/wrk-requests.lua)
//        GatewayLoad load --url http://127.0.0.1:5080 --secret s [--connections 32] [--seconds 15] [--warmup 3] [--body-bytes 5000]
//                         [--client raw|http]  (raw: pre-built requests on plain sockets, far less CPU than HttpClient)
//                         [--rate 250]  (open loop: one webhook every 1/rate s whatever the answers, for --seconds; latency
//                                        counted from each request's scheduled time, so a slow gateway cannot hide queueing)
//                         [--run-id x]  (conversation ids are conv_bench_<run-id>_<n>; the pipeline bench finds them by it)
var options = Args.Parse(args.Skip(1));
var bodyBytes = options.Int("body-bytes", 5000);

if (args.FirstOrDefault() == "pgbench-script")
{
    var body = BenchBody.Create("conv_pgbench", bodyBytes);
    File.WriteAllText(args[1], BenchBody.PgbenchScript(body));
    Console.WriteLine($"pgbench script: {args[1]} (body {body.Length} bytes)");
    return 0;
}

if (args.FirstOrDefault() == "requests-file")
{
    WrkRequests.Write(args[1], new Uri(options.String("url", "http://127.0.0.1:5080")), new WebhookSigner(options.String("secret", "bench-secret")),
        options.Int("count", 100_000), options.String("run-id", "wrk"), bodyBytes);
    return 0;
}

var url = new Uri(options.String("url", "http://127.0.0.1:5080"));
var connections = options.Int("connections", 32);
var seconds = options.Int("seconds", 15);
var warmup = options.Int("warmup", 3);
var signer = new WebhookSigner(options.String("secret", "bench-secret"));

// Pre-signed, distinct bodies: enough for the measured phase at a rate well above what one machine does.
var fixedRate = options.Int("rate", 0);
if (fixedRate > 0 && options.String("client", "raw") != "raw")
{
    Console.Error.WriteLine("--rate needs the raw client.");
    return 2;
}
var needed = options.Int("bodies", fixedRate > 0 ? fixedRate * (seconds + warmup) + connections : 6_000 * (seconds + warmup));
var raw = options.String("client", "raw") == "raw";
Console.WriteLine($"Signing {needed} distinct bodies...");
var run = options.String("run-id", Guid.NewGuid().ToString("N")[..8]);
var now = DateTimeOffset.UtcNow;
var requests = new (byte[] Body, string Signature)[needed];
Parallel.For(0, needed, i =>
{
    var body = BenchBody.Create($"conv_bench_{run}_{i:D7}", bodyBytes);
    var signature = signer.Sign(body, now);
    requests[i] = raw ? (RawHttpConnection.Request(url, WebhookSigner.Path, WebhookSigner.HeaderName, signature, body), signature) : (body, signature);
});
Console.WriteLine($"Body size: {bodyBytes} bytes requested; client: {(raw ? "raw sockets" : "HttpClient")}");
var rawConnections = new System.Collections.Concurrent.ConcurrentBag<RawHttpConnection>();
if (raw)
{
    for (var i = 0; i < connections; i++)
    {
        rawConnections.Add(await RawHttpConnection.OpenAsync(url));
    }
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = url,
    Timeout = TimeSpan.FromSeconds(30),
};

var next = -1;
var errors = 0;
var exhausted = false;
async Task<List<long>> WorkerAsync(DateTime until)
{
    var latencies = new List<long>(100_000);
    RawHttpConnection? connection = null;
    if (raw && !rawConnections.TryTake(out connection))
    {
        throw new InvalidOperationException("More workers than connections.");
    }
    try
    {
        while (DateTime.UtcNow < until)
        {
            var index = Interlocked.Increment(ref next);
            if (index >= requests.Length)
            {
                exhausted = true;
                break;
            }
            var (body, signature) = requests[index];
            var started = Stopwatch.GetTimestamp();
            var status = connection is not null ? await connection.SendAsync(body) : await SendWithHttpClientAsync(body, signature);
            latencies.Add(Stopwatch.GetTimestamp() - started);
            if (status != (int)HttpStatusCode.OK)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }
    finally
    {
        if (connection is not null)
        {
            rawConnections.Add(connection);
        }
    }
    return latencies;
}

async Task<int> SendWithHttpClientAsync(byte[] body, string signature)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSigner.Path) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new("application/json");
    request.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, signature);
    using var response = await http.SendAsync(request);
    await response.Content.LoadIntoBufferAsync();
    return (int)response.StatusCode;
}

// Open loop: request n is due at start + n / rate. Connection w sends requests w, w + connections, …; when an answer
// comes late the next request leaves at once, and its latency still counts from when it was due.
async Task<List<long>> ScheduledWorkerAsync(int worker, long start, int first, int total)
{
    var latencies = new List<long>(total / connections + 1);
    if (!rawConnections.TryTake(out var connection))
    {
        throw new InvalidOperationException("More workers than connections.");
    }
    try
    {
        for (var n = worker; n < total; n += connections)
        {
            var index = first + n;
            var due = start + (long)(n * (double)Stopwatch.Frequency / fixedRate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }
            var status = await connection.SendAsync(requests[index].Body);
            latencies.Add(Stopwatch.GetTimestamp() - due);
            if (status != (int)HttpStatusCode.OK)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }
    finally
    {
        rawConnections.Add(connection);
    }
    return latencies;
}

Console.WriteLine($"Warm-up {warmup} s, then {seconds} s with {connections} connections against {url}{(fixedRate > 0 ? $" at {fixedRate} webhooks/s" : "")}");
await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => WorkerAsync(DateTime.UtcNow.AddSeconds(warmup))));
errors = 0;
var gatewayPid = options.Int("pid", 0);
var cpuBefore = CpuSeconds(gatewayPid);
var clock = Stopwatch.StartNew();
var scheduled = fixedRate * seconds;
var firstScheduled = next + 1; // the bodies after those the warm-up used: each webhook is sent once
var scheduleStart = Stopwatch.GetTimestamp();
var results = fixedRate > 0
    ? await Task.WhenAll(Enumerable.Range(0, connections).Select(w => Task.Run(() => ScheduledWorkerAsync(w, scheduleStart, firstScheduled, scheduled))))
    : await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(() => WorkerAsync(DateTime.UtcNow.AddSeconds(seconds)))));
clock.Stop();
var cpuUsed = CpuSeconds(gatewayPid) - cpuBefore;

var all = results.SelectMany(r => r).Order().ToArray();
double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
double Percentile(double p) => Ms(all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)]);
var rate = all.Length / clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT gateway_rate={rate:F0} p50_ms={Percentile(0.50):F2} p99_ms={Percentile(0.99):F2} max_ms={Ms(all[^1]):F2} requests={all.Length} errors={errors} gateway_cpu_us_per_webhook={cpuUsed * 1e6 / Math.Max(1, all.Length):F0}"));
if (exhausted)
{
    Console.WriteLine("WARNING: ran out of pre-signed bodies; raise --bodies.");
}
return errors == 0 ? 0 : 1;

// utime + stime of a process, from /proc (Linux), in seconds; 0 when no pid was given.
static double CpuSeconds(int pid)
{
    if (pid == 0)
    {
        return 0;
    }
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}
