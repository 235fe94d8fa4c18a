using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Gateway.Tests.Admin;

/// <summary>
/// Stand-ins for the analysis and CRM services' gRPC APIs on one real h2c Kestrel endpoint: they record what the
/// admin API asked for and answer with job ids; "conv_missing" is NOT_FOUND.
/// </summary>
public sealed class FakePipelineServices : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePipelineServices(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<FakePipelineServices> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the gateway's appsettings.json from the test folder: its Kestrel endpoint is the gateway's port.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        FakePipelineServices? self = null;
        app.MapGrpcService(AnalysisReflection.Descriptor.Services[0], s => s
            .Unary<AnalyzeNowRequest, AnalyzeNowReply>("AnalyzeNow", (request, _) => Record($"analyze:{request.ConversationId}", new AnalyzeNowReply { JobId = 42 }, request.ConversationId))
            .Unary<SubmitRequest, SubmitReply>("Submit", (request, _) => Task.FromResult(new SubmitReply { Accepted = true })));
        app.MapGrpcService(CrmReflection.Descriptor.Services[0], s => s
            .Unary<RetryExportRequest, RetryExportReply>("RetryExport", (request, _) => Record($"retry:{request.ConversationId}", new RetryExportReply { JobId = 43 }, request.ConversationId))
            .Unary<NudgeExportRequest, NudgeExportReply>("NudgeExport", (request, _) => Record($"nudge:{request.ConversationId}", new NudgeExportReply { Accepted = true }, request.ConversationId)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakePipelineServices(app, new Uri(address));
        return self;

        Task<T> Record<T>(string call, T reply, string conversationId)
        {
            if (conversationId == "conv_missing")
            {
                throw GrpcErrors.NotFound("No such conversation.");
            }
            self!.Calls.Enqueue(call);
            return Task.FromResult(reply);
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
