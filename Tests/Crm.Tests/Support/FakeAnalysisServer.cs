using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// The analysis service's gRPC edge in miniature: answers <c>GetLeads</c> from the analyses a test adds, as the
/// real service would (a missing id is gone, a later version of the same event supersedes an earlier one). It can
/// be stopped and started again on the same port, to play an analysis service that is down for a while.
/// </summary>
public sealed class FakeAnalysisServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, LeadSource> _analyses = new();
    private readonly int _port;
    private WebApplication? _app;
    private long _lastId;
    private long _lastEventId;
    private int _getLeadsCalls;

    private FakeAnalysisServer(int port)
    {
        _port = port;
        Address = $"http://127.0.0.1:{port}";
    }

    public string Address { get; }

    /// <summary>How many <c>GetLeads</c> calls arrived.</summary>
    public int GetLeadsCalls => Volatile.Read(ref _getLeadsCalls);

    public static async Task<FakeAnalysisServer> StartAsync()
    {
        var server = new FakeAnalysisServer(FreePort());
        await server.StartAgainAsync();
        return server;
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
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Not the service's appsettings.json (copied next to the tests): its fixed Kestrel ports are not ours.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(this);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<LeadsFromMemory>();
        await app.StartAsync();
        _app = app;
    }

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class LeadsFromMemory(FakeAnalysisServer server) : Analysis.AnalysisBase
    {
        public override Task<GetLeadsReply> GetLeads(GetLeadsRequest request, ServerCallContext context) =>
            Task.FromResult(server.Leads(request));
    }
}
