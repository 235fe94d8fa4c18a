using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>The CRM service's gRPC edge in miniature: records the NudgeExport calls it receives.</summary>
public sealed class FakeCrmServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCrmServer(WebApplication app) => _app = app;

    public ConcurrentQueue<string> Nudges { get; } = new();

    public string Address { get; private set; } = "";

    public static async Task<FakeCrmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the service's appsettings.json (copied next to the tests): its fixed Kestrel ports are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddRouting();
        var app = builder.Build();
        var server = new FakeCrmServer(app);
        app.MapGrpcService(CrmReflection.Descriptor.Services[0], s => s.Unary<NudgeExportRequest, NudgeExportReply>("NudgeExport", (request, _) =>
        {
            server.Nudges.Enqueue(request.ConversationId);
            return Task.FromResult(new NudgeExportReply { Accepted = true });
        }));
        await app.StartAsync();
        server.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
