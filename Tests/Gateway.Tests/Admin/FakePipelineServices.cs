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
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Tests.Admin;

/// <summary>
/// Stand-ins for the analysis and CRM services' gRPC APIs on one real h2c Kestrel endpoint: they record what the
/// admin API asked for and answer with job ids; "conv_missing" is NOT_FOUND. As owners of conversation data they
/// erase idempotently (one row per store the first time a conversation is erased, none after), and either can be
/// taken down (UNAVAILABLE) and brought back.
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

    /// <summary>From now on the owner answers every erase call with UNAVAILABLE, as a service that is down.</summary>
    public void TakeDown(string owner) => _app.Services.GetRequiredService<CallLog>().Down[owner] = true;

    public void BringBack(string owner) => _app.Services.GetRequiredService<CallLog>().Down.TryRemove(owner, out _);

    /// <summary>The erase calls received, as "owner:reason:id,id".</summary>
    public IReadOnlyList<string> Erasures => [.. Calls.Where(c => c.StartsWith("erase:", StringComparison.Ordinal)).Select(c => c["erase:".Length..])];

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

        public ConcurrentDictionary<string, bool> Down { get; } = new(StringComparer.Ordinal);

        private readonly ConcurrentDictionary<string, bool> _erased = new(StringComparer.Ordinal);

        public Task<EraseConversationsReply> Erase(string owner, EraseConversationsRequest request, params string[] stores)
        {
            if (Down.ContainsKey(owner))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The service is down."));
            }
            Entries.Enqueue($"erase:{owner}:{request.Reason}:{string.Join(',', request.ConversationIds)}");
            var firstTime = request.ConversationIds.Count(id => _erased.TryAdd($"{owner}/{id}", true));
            var reply = new EraseConversationsReply();
            foreach (var store in stores)
            {
                reply.Removed[store] = firstTime;
            }
            return Task.FromResult(reply);
        }

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

        public override Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context) =>
            calls.Erase("analysis", request, "analysis.analyses", "analysis.jobs");
    }

    private sealed class FakeCrm(CallLog calls) : Crm.CrmBase
    {
        public override Task<RetryExportReply> RetryExport(RetryExportRequest request, ServerCallContext context) =>
            calls.Record($"retry:{request.ConversationId}", new RetryExportReply { JobId = 43 }, request.ConversationId);

        public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context) =>
            calls.Record($"nudge:{request.ConversationId}", new NudgeExportReply { Accepted = true }, request.ConversationId);

        public override Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context) =>
            calls.Erase("crm", request, "crm.exports", "crm.jobs", "markdown_sections");
    }
}
