using System.Diagnostics;
using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Bench.Grpc;
using VoiceAnalytics.Infrastructure.Tests.Echo;

// Usage: dotnet run -c Release --project bench/GrpcBench -- [seconds=10]
var seconds = args.FirstOrDefault(a => int.TryParse(a, out _)) is { } s ? int.Parse(s) : 10;

var server = WebApplication.CreateSlimBuilder();
server.Logging.ClearProviders();
server.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
server.Services.AddGrpc();
var app = server.Build();
app.MapGrpcService<EchoService>();
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
Console.WriteLine($"server {address} ({Environment.ProcessorCount} cores, {seconds}s per run)");

// The client exactly as a service gets it: service defaults, service discovery, default deadline, no HTTP
// resilience handler.
var caller = Host.CreateApplicationBuilder();
caller.Logging.ClearProviders();
caller.Configuration["services:echo:grpc:0"] = address.ToString();
caller.AddServiceDefaults();
caller.Services.AddGrpcServiceClient<Echo.EchoClient>("echo", Echo.Descriptor, nameof(Echo.EchoClient.Say));
using var callerHost = caller.Build();
// Started, as in a service: that is what switches the OpenTelemetry tracer and meter providers on.
await callerHost.StartAsync();
var client = callerHost.Services.GetRequiredService<Echo.EchoClient>();
var request = new SayRequest { Text = "ping" };

// For comparison: a bare channel, no factory, interceptor or discovery (tracing is process-wide, so still on).
using var bareChannel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
var bare = new Echo.EchoClient(bareChannel);

// Warm-up so the JIT and connection pools are not measured.
await LoadRun.RunAsync(4, TimeSpan.FromSeconds(2), () => client.SayAsync(request).ResponseAsync);
await LoadRun.RunAsync(4, TimeSpan.FromSeconds(1), () => bare.SayAsync(request).ResponseAsync);

foreach (var callers in new[] { 1, 16 })
{
    var result = await LoadRun.RunAsync(callers, TimeSpan.FromSeconds(seconds), () => client.SayAsync(request).ResponseAsync);
    Console.WriteLine($"dotnet-client  callers={callers,2}  {result}");
}

foreach (var callers in new[] { 1, 16 })
{
    var result = await LoadRun.RunAsync(callers, TimeSpan.FromSeconds(seconds), () => bare.SayAsync(request).ResponseAsync);
    Console.WriteLine($"bare-channel   callers={callers,2}  {result}");
}

foreach (var callers in new[] { 1, 16 })
{
    var node = Process.Start(new ProcessStartInfo("node",
        $"{Path.Combine(LoadRun.BenchDir, "grpcjs-load.js")} 127.0.0.1:{address.Port} {callers} {seconds}")
    {
        RedirectStandardOutput = true,
        WorkingDirectory = Path.Combine(LoadRun.RepoRoot, "Tests", "Infrastructure.Tests", "Interop"),
    })!;
    var line = await node.StandardOutput.ReadToEndAsync();
    await node.WaitForExitAsync();
    Console.WriteLine($"grpcjs-client  callers={callers,2}  {line.Trim()}");
}

await callerHost.StopAsync();
await app.StopAsync();
