using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>The CRM service's gRPC edge in miniature: records the NudgeExport calls it receives.</summary>
public sealed class FakeCrmServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeCrmServer(WebApplication app, ConcurrentQueue<string> nudges)
    {
        _app = app;
        Nudges = nudges;
    }

    public ConcurrentQueue<string> Nudges { get; }

    public string Address { get; private set; } = "";

    public static async Task<FakeCrmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the service's appsettings.json (copied next to the tests): its fixed Kestrel ports are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var nudges = new ConcurrentQueue<string>();
        builder.Services.AddSingleton(nudges);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<RecordingCrm>();
        await app.StartAsync();
        return new FakeCrmServer(app, nudges)
        {
            Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(),
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class RecordingCrm(ConcurrentQueue<string> nudges) : Crm.CrmBase
    {
        public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context)
        {
            nudges.Enqueue(request.ConversationId);
            return Task.FromResult(new NudgeExportReply { Accepted = true });
        }
    }
}
