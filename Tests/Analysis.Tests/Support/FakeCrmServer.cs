using System.Collections.Concurrent;
using Grpc.Core;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.TestSupport.Hosting;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>The CRM service's gRPC edge in miniature: records the NudgeExport calls it receives.</summary>
public sealed class FakeCrmServer : IAsyncDisposable
{
    private readonly GrpcTestServer _server;

    private FakeCrmServer(GrpcTestServer server, ConcurrentQueue<string> nudges)
    {
        _server = server;
        Nudges = nudges;
    }

    /// <summary>The conversation id of every NudgeExport call, in arrival order.</summary>
    public ConcurrentQueue<string> Nudges { get; }

    public string Address => _server.Address.GetLeftPart(UriPartial.Authority);

    public static async Task<FakeCrmServer> StartAsync()
    {
        var nudges = new ConcurrentQueue<string>();
        return new FakeCrmServer(await GrpcTestServer.StartAsync(new RecordingCrm(nudges)), nudges);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class RecordingCrm(ConcurrentQueue<string> nudges) : Crm.CrmBase
    {
        public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context)
        {
            nudges.Enqueue(request.ConversationId);
            return Task.FromResult(new NudgeExportReply { Accepted = true });
        }
    }
}
