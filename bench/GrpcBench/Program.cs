using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Bench.Grpc;
using VoiceAnalytics.Foundation.Tests.Echo;
using VoiceAnalytics.ServiceDefaults.Grpc;

// Usage: dotnet run -c Release --project bench/GrpcBench -- [seconds=10] [--serve]
var seconds = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } s ? int.Parse(s) : 10;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
var app = builder.Build();
app.MapGrpcService(EchoReflection.Descriptor.Services[0], svc => svc
    .Unary<SayRequest, SayReply>("Say", (request, _) => Task.FromResult(new SayReply { Text = request.Text })));
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
Console.WriteLine($"server {address} ({Environment.ProcessorCount} cores, {seconds}s per run)");

var http = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
var channel = new GrpcChannel(http, address);
var request = new SayRequest { Text = "ping" };

// Warm-up so the JIT and connection pool are not measured.
await LoadRun.RunAsync(4, TimeSpan.FromSeconds(2), () => channel.UnaryAsync("/voiceanalytics.test.v1.Echo/Say", request, SayReply.Parser));

foreach (var callers in new[] { 1, 16 })
{
    var result = await LoadRun.RunAsync(callers, TimeSpan.FromSeconds(seconds),
        () => channel.UnaryAsync("/voiceanalytics.test.v1.Echo/Say", request, SayReply.Parser));
    Console.WriteLine($"dotnet-client  callers={callers,2}  {result}");
}

foreach (var callers in new[] { 1, 16 })
{
    var node = Process.Start(new ProcessStartInfo("node",
        $"{Path.Combine(LoadRun.BenchDir, "grpcjs-load.js")} 127.0.0.1:{address.Port} {callers} {seconds}")
    {
        RedirectStandardOutput = true,
        WorkingDirectory = Path.Combine(LoadRun.RepoRoot, "Tests", "Foundation.Tests", "Interop"),
    })!;
    var line = await node.StandardOutput.ReadToEndAsync();
    await node.WaitForExitAsync();
    Console.WriteLine($"grpcjs-client  callers={callers,2}  {line.Trim()}");
}

await app.StopAsync();
