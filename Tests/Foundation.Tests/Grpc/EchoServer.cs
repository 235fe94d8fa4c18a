using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Foundation.Tests.Echo;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Foundation.Tests.Grpc;

/// <summary>A real Kestrel server (HTTP/2 cleartext on a free loopback port) serving the test Echo service.</summary>
public sealed class EchoServer : IAsyncLifetime
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Completed when a handler saw its call cancelled (deadline or caller gone).</summary>
    public TaskCompletionSource ServerSawCancellation { get; private set; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddHealthChecks();
        builder.Services.Configure<GrpcServerOptions>(o => o.MaxReceiveMessageSize = 1024 * 1024);
        _app = builder.Build();
        _app.MapGrpcService(EchoReflection.Descriptor.Services[0], s => s.Unary<SayRequest, SayReply>("Say", SayAsync));
        _app.MapGrpcHealthService("voiceanalytics.test.v1.Echo");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
    }

    public void ResetCancellationProbe() => ServerSawCancellation = new TaskCompletionSource();

    private async Task<SayReply> SayAsync(SayRequest request, GrpcCallContext context)
    {
        if (request.DelayMs > 0)
        {
            try
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                ServerSawCancellation.TrySetResult();
                throw;
            }
        }

        switch (request.FailWith)
        {
            case "not_found": throw GrpcErrors.NotFound("No such thing.");
            case "invalid": throw GrpcErrors.InvalidArgument("text is required.");
            case "unicode": throw GrpcErrors.FailedPrecondition("Ошибка: 100% не готово ✓");
            case "boom": throw new InvalidOperationException("secret internals: connection string Password=hunter2");
        }

        var reply = new SayReply
        {
            Text = request.Text,
            TraceId = Activity.Current?.TraceId.ToString() ?? "",
            ParentSpanId = Activity.Current?.ParentSpanId.ToString() ?? "",
            HadDeadline = context.Deadline is not null,
        };
        foreach (var key in request.EchoMetadata)
        {
            reply.Metadata[key] = context.GetMetadata(key) ?? "";
        }
        context.AddResponseTrailer("x-echo-trailer", "done");
        return reply;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
