using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.TestSupport.Hosting;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// Stand-ins for the analysis and CRM services' gRPC APIs on one real h2c Kestrel endpoint. They hold what those
/// owners would report (analysis versions, exports; <see cref="Seed"/> fills them), record what the admin API asked
/// for, and answer with job ids; "conv_missing" is NOT_FOUND, and <see cref="Down"/> makes every call UNAVAILABLE.
/// As owners of conversation data they erase idempotently (one row per store the first time a conversation is
/// erased, none after), and either can be taken down for erasure (<see cref="TakeDown"/>) and brought back.
/// </summary>
public sealed class FakePipelineServices : IAsyncDisposable
{
    private readonly GrpcTestServer _server;
    private readonly PipelineState _state;

    private FakePipelineServices(GrpcTestServer server, PipelineState state)
    {
        _server = server;
        _state = state;
    }

    public Uri Address => _server.Address;

    /// <summary>"analyze:conv", "retry:conv", "rectify:conv", "nudge:conv", in call order.</summary>
    public ConcurrentQueue<string> Calls => _state.Calls;

    /// <summary>The requested_by of every AnalyzeNow, Rectify and RetryExport.</summary>
    public ConcurrentQueue<string> Requesters => _state.Requesters;

    /// <summary>
    /// Whether the owners still hold the conversation (its rows may have been erased meanwhile); by default they do.
    /// </summary>
    public Func<string, Task<bool>> Holds { get => _state.Holds; set => _state.Holds = value; }

    /// <summary>When set, both services answer UNAVAILABLE, as a service that is down would.</summary>
    public bool Down { get => _state.Down; set => _state.Down = value; }

    /// <summary>From now on the owner ("analysis" or "crm") answers every erase call with UNAVAILABLE, as a service that is down.</summary>
    public void TakeDown(string owner) => _state.OwnersDown[owner] = true;

    public void BringBack(string owner) => _state.OwnersDown.TryRemove(owner, out _);

    /// <summary>The erase calls received, as "owner:reason:id,id".</summary>
    public IReadOnlyList<string> Erasures => [.. Calls.Where(c => c.StartsWith("erase:", StringComparison.Ordinal)).Select(c => c["erase:".Length..])];

    public static async Task<FakePipelineServices> StartAsync()
    {
        var state = new PipelineState();
        return new FakePipelineServices(await GrpcTestServer.StartAsync(new FakeAnalysis(state), new FakeCrm(state)), state);
    }

    /// <summary>What the analysis service would hold after analysing the conversation: version 1 of this verdict.</summary>
    public void AddAnalysis(string conversationId, long eventId, Protos.Analysis.V1.Verdict verdict) =>
        _state.Analyses.GetOrAdd(conversationId, _ => []).Add(new AnalysisReply
        {
            AnalysisId = Interlocked.Increment(ref _state.NextId), ConversationId = conversationId, Version = 1, Model = "offline-rules",
            PromptVersion = "v1", Verdict = verdict, Reason = "webhook", RequestedBy = "system:pipeline", EventId = eventId,
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        });

    /// <summary>What the CRM service would report for the conversation's export.</summary>
    public void AddExport(string conversationId, string state) => _state.Exports[conversationId] = new ExportStatusReply
    {
        ConversationId = conversationId, State = state, Attempts = 1, CrmRecordId = Guid.NewGuid().ToString("D"), Sink = "markdown",
        UpdatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
    };

    /// <summary>Forgets the conversation, as its owners would after an erasure.</summary>
    public void Forget(string conversationId)
    {
        _state.Analyses.TryRemove(conversationId, out _);
        _state.Exports.TryRemove(conversationId, out _);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class PipelineState
    {
        public long NextId;

        public ConcurrentQueue<string> Calls { get; } = new();

        public ConcurrentQueue<string> Requesters { get; } = new();

        public ConcurrentDictionary<string, List<AnalysisReply>> Analyses { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, ExportStatusReply> Exports { get; } = new(StringComparer.Ordinal);

        public volatile bool Down;

        public ConcurrentDictionary<string, bool> OwnersDown { get; } = new(StringComparer.Ordinal);

        private readonly ConcurrentDictionary<string, bool> _erased = new(StringComparer.Ordinal);

        public Task<EraseConversationsReply> Erase(string owner, EraseConversationsRequest request, params string[] stores)
        {
            if (Down || OwnersDown.ContainsKey(owner))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The service is down."));
            }
            Calls.Enqueue($"erase:{owner}:{request.Reason}:{string.Join(',', request.ConversationIds)}");
            var firstTime = request.ConversationIds.Count(id => _erased.TryAdd($"{owner}/{id}", true));
            var reply = new EraseConversationsReply();
            foreach (var store in stores)
            {
                reply.Removed[store] = firstTime;
            }
            return Task.FromResult(reply);
        }

        public Func<string, Task<bool>> Holds { get; set; } = _ => Task.FromResult(true);

        public async Task<List<AnalysisReply>?> VersionsAsync(string conversationId) =>
            Analyses.TryGetValue(conversationId, out var versions) && versions.Count > 0 && await Holds(conversationId) ? versions : null;

        public void Check(string conversationId)
        {
            if (Down)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The service is down."));
            }
            if (conversationId == "conv_missing")
            {
                throw new RpcException(new Status(StatusCode.NotFound, "No such conversation."));
            }
        }

        public Task<T> Record<T>(string call, T reply, string conversationId, string? requestedBy = null)
        {
            Check(conversationId);
            Calls.Enqueue(call);
            if (requestedBy is not null)
            {
                Requesters.Enqueue(requestedBy);
            }
            return Task.FromResult(reply);
        }
    }

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);

    private sealed class FakeAnalysis(PipelineState state) : Analysis.AnalysisBase
    {
        public override Task<AnalyzeNowReply> AnalyzeNow(AnalyzeNowRequest request, ServerCallContext context) =>
            state.Record($"analyze:{request.ConversationId}", new AnalyzeNowReply { JobId = 42 }, request.ConversationId, request.RequestedBy);

        public override Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context) =>
            Task.FromResult(new SubmitReply { Accepted = true });

        public override Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context) =>
            state.Erase("analysis", request, "analysis.analyses", "jobs.jobs/analysis");

        public override async Task<ListAnalysesReply> ListAnalyses(ListAnalysesRequest request, ServerCallContext context)
        {
            state.Check("");
            var reply = new ListAnalysesReply();
            if (await state.VersionsAsync(request.ConversationId) is { } versions)
            {
                reply.Analyses.AddRange(versions);
            }
            return reply;
        }

        public override async Task<ConversationOutcomes> SummarizeConversations(ConversationIds request, ServerCallContext context)
        {
            state.Check("");
            var reply = new ConversationOutcomes();
            foreach (var id in request.ConversationIds_)
            {
                if (await state.VersionsAsync(id) is { } versions)
                {
                    var latest = versions[^1];
                    reply.Conversations.Add(new ConversationOutcome
                    {
                        ConversationId = id, Version = latest.Version, Outcome = latest.Verdict.Outcome, Topic = latest.Verdict.Topic,
                    });
                }
            }
            return reply;
        }

        public override async Task<ConversationIds> FindConversationsByPhone(FindConversationsByPhoneRequest request, ServerCallContext context)
        {
            state.Check("");
            var wanted = Digits(request.Phone).TrimStart('0');
            var reply = new ConversationIds();
            foreach (var (id, versions) in state.Analyses.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (wanted.Length > 0 && versions.Any(v => Digits(v.Verdict.Phone) == wanted) && await state.Holds(id))
                {
                    reply.ConversationIds_.Add(id);
                }
            }
            return reply;
        }

        public override Task<AnalysisReply> Rectify(RectifyRequest request, ServerCallContext context)
        {
            state.Check(request.ConversationId);
            if (request.HasQuality && request.Quality is < 1 or > 5)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "quality must be between 1 and 5."));
            }
            if (!state.Analyses.TryGetValue(request.ConversationId, out var versions) || versions.Count == 0)
            {
                throw new RpcException(new Status(StatusCode.NotFound, "This conversation has no analysis to correct."));
            }
            var latest = versions[^1];
            var verdict = latest.Verdict.Clone();
            if (request.HasOutcome) { verdict.Outcome = request.Outcome; }
            if (request.HasClientName) { verdict.ClientName = request.ClientName; }
            if (request.HasPhone) { verdict.Phone = request.Phone; }
            if (request.HasQuality) { verdict.Quality = request.Quality; }
            var next = latest.Clone();
            next.AnalysisId = Interlocked.Increment(ref state.NextId);
            next.Version = latest.Version + 1;
            next.Verdict = verdict;
            next.Reason = "rectification";
            next.RequestedBy = request.RequestedBy;
            versions.Add(next);
            var reply = next.Clone();
            reply.ExportJobId = 44;
            return state.Record($"rectify:{request.ConversationId}", reply, request.ConversationId, request.RequestedBy);
        }
    }

    private sealed class FakeCrm(PipelineState state) : Crm.CrmBase
    {
        public override Task<RetryExportReply> RetryExport(RetryExportRequest request, ServerCallContext context) =>
            state.Record($"retry:{request.ConversationId}", new RetryExportReply { JobId = 43 }, request.ConversationId, request.RequestedBy);

        public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context) =>
            state.Record($"nudge:{request.ConversationId}", new NudgeExportReply { Accepted = true }, request.ConversationId);

        public override Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context) =>
            state.Erase("crm", request, "crm.exports", "jobs.jobs/crm", "markdown_sections");

        public override Task<ExportStatusReply> GetExportStatus(ExportStatusRequest request, ServerCallContext context)
        {
            state.Check(request.ConversationId);
            return state.Exports.TryGetValue(request.ConversationId, out var export)
                ? Task.FromResult(export)
                : throw new RpcException(new Status(StatusCode.NotFound, "No export was ever queued for this conversation."));
        }

        public override Task<ExportStatesReply> GetExportStates(ExportStatesRequest request, ServerCallContext context)
        {
            state.Check("");
            var reply = new ExportStatesReply();
            reply.Exports.AddRange(request.ConversationIds.Where(state.Exports.ContainsKey).Select(id => state.Exports[id]));
            return Task.FromResult(reply);
        }
    }
}
