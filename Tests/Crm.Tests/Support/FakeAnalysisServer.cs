using System.Collections.Concurrent;
using Grpc.Core;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.TestSupport.Hosting;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// The analysis service's gRPC edge in miniature: answers <c>GetLeads</c> from the analyses a test adds, as the
/// real service would (a missing id is gone, a later version of the same event supersedes an earlier one), and
/// counts the calls. It can be stopped and started again on the same port, to play an analysis service that is
/// down for a while.
/// </summary>
public sealed class FakeAnalysisServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, LeadSource> _analyses = new();
    private readonly LeadsFromMemory _service;
    private GrpcTestServer? _server;
    private int _port;
    private long _lastId;
    private long _lastEventId;
    private int _getLeadsCalls;

    private FakeAnalysisServer() => _service = new LeadsFromMemory(this);

    public string Address { get; private set; } = "";

    /// <summary>How many GetLeads calls reached the server.</summary>
    public int GetLeadsCalls => Volatile.Read(ref _getLeadsCalls);

    public static async Task<FakeAnalysisServer> StartAsync()
    {
        var fake = new FakeAnalysisServer();
        await fake.StartAgainAsync();
        fake._port = fake._server!.Port;
        fake.Address = fake._server.Address.GetLeftPart(UriPartial.Authority);
        return fake;
    }

    /// <summary>Adds version 1 of a conversation's analysis, from a webhook event of its own; returns the analysis id.</summary>
    public long Add(string conversationId, string resultJson, string? agentId, string? traceParent) =>
        Store(conversationId, Interlocked.Increment(ref _lastEventId), 1, resultJson, agentId, traceParent);

    /// <summary>Adds a re-analysis of the conversation's event (the next version); returns its id.</summary>
    public long AddReanalysis(string conversationId, string resultJson)
    {
        var latest = _analyses.Values.Where(a => a.ConversationId == conversationId).MaxBy(a => a.Version)
            ?? throw new InvalidOperationException("Add the conversation's first analysis before a re-analysis.");
        return Store(conversationId, latest.EventId, latest.Version + 1, resultJson, latest.AgentId, latest.TraceParent);
    }

    /// <summary>Forgets every analysis of the conversation, as an erasure does.</summary>
    public void Erase(string conversationId)
    {
        foreach (var analysis in _analyses.Values.Where(a => a.ConversationId == conversationId))
        {
            _analyses.TryRemove(analysis.AnalysisId, out _);
        }
    }

    /// <summary>Closes the port: calls fail as they do while the real service is down.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port (a free one the first time).</summary>
    public async Task StartAgainAsync() => _server = await GrpcTestServer.StartAsync(_service, _port);

    public ValueTask DisposeAsync() => new(StopAsync());

    private long Store(string conversationId, long eventId, int version, string resultJson, string? agentId, string? traceParent)
    {
        var id = Interlocked.Increment(ref _lastId);
        _analyses[id] = new LeadSource
        {
            AnalysisId = id, EventId = eventId, Version = version, ConversationId = conversationId,
            AgentId = agentId ?? "", TraceParent = traceParent ?? "", ResultJson = resultJson,
        };
        return id;
    }

    private GetLeadsReply Leads(GetLeadsRequest request)
    {
        Interlocked.Increment(ref _getLeadsCalls);
        var reply = new GetLeadsReply();
        foreach (var id in request.AnalysisIds.Distinct())
        {
            if (_analyses.TryGetValue(id, out var analysis))
            {
                var lead = analysis.Clone();
                lead.Superseded = _analyses.Values.Any(a => a.EventId == analysis.EventId && a.AnalysisId > analysis.AnalysisId);
                reply.Leads.Add(lead);
            }
        }
        return reply;
    }

    private sealed class LeadsFromMemory(FakeAnalysisServer server) : Analysis.AnalysisBase
    {
        public override Task<GetLeadsReply> GetLeads(GetLeadsRequest request, ServerCallContext context) =>
            Task.FromResult(server.Leads(request));
    }
}
