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
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Tests.Admin;

/// <summary>
/// Stand-ins for the analysis and CRM services' gRPC APIs on one real h2c Kestrel endpoint: they record what the
/// admin API asked for and answer with job ids; "conv_missing" is NOT_FOUND.
/// </summary>
public sealed class FakePipelineServices : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePipelineServices(WebApplication app, Uri address, CallLog calls)
    {
        _app = app;
        Address = address;
        Calls = calls.Entries;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Calls { get; }

    public static async Task<FakePipelineServices> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the gateway's appsettings.json from the test folder: its Kestrel endpoint is the gateway's port.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var calls = new CallLog();
        builder.Services.AddSingleton(calls);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeAnalysis>();
        app.MapGrpcService<FakeCrm>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakePipelineServices(app, new Uri(address), calls);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private sealed class CallLog
    {
        public ConcurrentQueue<string> Entries { get; } = new();

        public Task<T> Record<T>(string call, T reply, string conversationId)
        {
            if (conversationId == "conv_missing")
            {
                throw new RpcException(new Status(StatusCode.NotFound, "No such conversation."));
            }
            Entries.Enqueue(call);
            return Task.FromResult(reply);
        }
    }

    private sealed class FakeAnalysis(CallLog calls) : Analysis.AnalysisBase
    {
        public override Task<AnalyzeNowReply> AnalyzeNow(AnalyzeNowRequest request, ServerCallContext context) =>
            calls.Record($"analyze:{request.ConversationId}", new AnalyzeNowReply { JobId = 42 }, request.ConversationId);

        public override Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context) =>
            Task.FromResult(new SubmitReply { Accepted = true });
    }

    private sealed class FakeCrm(CallLog calls) : Crm.CrmBase
    {
        public override Task<RetryExportReply> RetryExport(RetryExportRequest request, ServerCallContext context) =>
            calls.Record($"retry:{request.ConversationId}", new RetryExportReply { JobId = 43 }, request.ConversationId);

        public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context) =>
            calls.Record($"nudge:{request.ConversationId}", new NudgeExportReply { Accepted = true }, request.ConversationId);
    }
}
