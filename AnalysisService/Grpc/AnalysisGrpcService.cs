using Grpc.Core;
using VoiceAnalytics.AnalysisService.Data;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.AnalysisService.Workers;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>The <c>voiceanalytics.analysis.v1.Analysis</c> methods: thin, validating, mapping to the domain.</summary>
public sealed partial class AnalysisGrpcService(
    [FromKeyedServices(PipelineJobs.Analysis.Queue)] JobQueue queue,
    EventStore events,
    AnalysisStore analyses,
    AnalysisRectifier rectifier,
    AnalysisLookup lookup,
    PiiProtector protector,
    CrmNudger crm,
    AnalysisEraser eraser,
    LeadSourceReader leadSources,
    ILogger<AnalysisGrpcService> logger) : Protos.Analysis.V1.Analysis.AnalysisBase
{
    /// <summary>A nudge: wakes this instance's idle workers (other instances hear the queue's NOTIFY).</summary>
    public override Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context)
    {
        System.Diagnostics.Activity.Current.TagConversation(request.ConversationId);
        queue.Nudge();
        return Task.FromResult(new SubmitReply { Accepted = true });
    }

    /// <summary>Queues an explicit analysis of the conversation's stored transcription; it adds a new version.</summary>
    public override async Task<AnalyzeNowReply> AnalyzeNow(AnalyzeNowRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        System.Diagnostics.Activity.Current.TagConversation(conversationId);
        var stored = await events.FindTranscriptionAsync(conversationId, context.CancellationToken)
            ?? throw RpcErrors.NotFound("No transcription is stored for this conversation.");
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "explicit request" : request.Reason.Trim();
        // An unnamed requester is recorded as such rather than guessed; the gateway always names its admin key.
        var requestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? "unknown" : request.RequestedBy.Trim();
        // A request while one is still queued joins it rather than analysing twice.
        var enqueued = await queue.EnqueueAsync(PipelineJobs.Analysis.AnalyzeNow, conversationId,
            new AnalyzeJobPayload(stored.Id, reason, requestedBy).ToJson(), ConversationTelemetry.CurrentTraceParent() ?? stored.TraceParent,
            deduplicate: true, cancellationToken: context.CancellationToken);
        queue.Nudge();
        LogRequested(conversationId, enqueued.JobId, enqueued.Created);
        return new AnalyzeNowReply { JobId = enqueued.JobId };
    }

    public override async Task<AnalysisReply> GetAnalysis(GetAnalysisRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var analysis = await analyses.GetLatestAsync(conversationId, context.CancellationToken)
            ?? throw RpcErrors.NotFound("This conversation has no analysis yet.");
        return analysis.ToReply();
    }

    /// <summary>Every version of the conversation's analysis, oldest first; an empty list when there is none.</summary>
    public override async Task<ListAnalysesReply> ListAnalyses(ListAnalysesRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var reply = new ListAnalysesReply();
        reply.Analyses.AddRange((await analyses.ListAsync(conversationId, context.CancellationToken)).Select(a => a.ToReply()));
        return reply;
    }

    /// <summary>Corrected fields become the next version, exported to the CRM again (queued in the same transaction).</summary>
    public override async Task<AnalysisReply> Rectify(RectifyRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var requestedBy = RpcErrors.RequireNonEmpty(request.RequestedBy, "requested_by");
        System.Diagnostics.Activity.Current.TagConversation(conversationId);
        var correction = new VerdictCorrection(
            request.HasTopic ? request.Topic : null, request.HasIntent ? request.Intent : null, request.HasQuality ? request.Quality : null,
            request.HasOutcome ? request.Outcome : null, request.HasSummaryRu ? request.SummaryRu : null,
            request.HasRecommendations ? request.Recommendations : null, request.HasClientName ? request.ClientName : null,
            request.HasPhone ? request.Phone : null);
        if (correction.Problem is { } problem)
        {
            throw RpcErrors.InvalidArgument(problem);
        }
        var (analysis, exportJobId) = await rectifier.RectifyAsync(conversationId, correction, requestedBy, context.CancellationToken)
            ?? throw RpcErrors.NotFound("This conversation has no analysis to correct.");
        LogRectified(conversationId, analysis.Version, string.Join(",", correction.FieldNames));
        await crm.NudgeAsync(conversationId, context.CancellationToken);
        var reply = analysis.ToReply();
        reply.ExportJobId = exportJobId;
        return reply;
    }

    /// <summary>Conversations whose analysed phone matches, through the keyed hash; never a plaintext comparison.</summary>
    public override async Task<ConversationIds> FindConversationsByPhone(FindConversationsByPhoneRequest request, ServerCallContext context)
    {
        var phone = RpcErrors.RequireNonEmpty(request.Phone, "phone");
        var reply = new ConversationIds();
        // Not a phone number in any notation: nothing can match it.
        if (protector.PhoneLookupHash(phone) is { } hash)
        {
            reply.ConversationIds_.AddRange(await lookup.ConversationsByPhoneHashAsync(hash, context.CancellationToken));
        }
        return reply;
    }

    public const int MaxSummarizedConversations = 1000;

    public override async Task<ConversationOutcomes> SummarizeConversations(ConversationIds request, ServerCallContext context)
    {
        if (request.ConversationIds_.Count > MaxSummarizedConversations)
        {
            throw RpcErrors.InvalidArgument($"At most {MaxSummarizedConversations} conversation ids per call.");
        }
        var reply = new ConversationOutcomes();
        foreach (var latest in await lookup.LatestOutcomesAsync(request.ConversationIds_, context.CancellationToken))
        {
            reply.Conversations.Add(new ConversationOutcome
            {
                ConversationId = latest.ConversationId, Version = latest.Version, Outcome = latest.Outcome ?? "", Topic = latest.Topic ?? "",
            });
        }
        return reply;
    }

    public const int MaxLeadsPerCall = 500;

    /// <summary>What the CRM exports for each listed analysis; an analysis that no longer exists is left out (gone).</summary>
    public override async Task<GetLeadsReply> GetLeads(GetLeadsRequest request, ServerCallContext context)
    {
        var ids = request.AnalysisIds;
        if (ids.Count == 0 || ids.Count > MaxLeadsPerCall)
        {
            throw RpcErrors.InvalidArgument($"analysis_ids must name between 1 and {MaxLeadsPerCall} analyses (got {ids.Count}).");
        }
        if (ids.Any(id => id <= 0))
        {
            throw RpcErrors.InvalidArgument("analysis_ids must all be positive.");
        }
        var reply = new GetLeadsReply();
        reply.Leads.AddRange((await leadSources.ReadAsync(ids, context.CancellationToken)).Select(lead => lead.ToLeadSource()));
        return reply;
    }

    public override async Task<QueueStats> GetQueueStats(QueueStatsRequest request, ServerCallContext context)
    {
        var stats = await queue.GetStatsAsync(context.CancellationToken);
        return new QueueStats
        {
            Queued = stats.Queued,
            Running = stats.Running,
            Done = stats.Done,
            Dead = stats.Dead,
            OldestQueuedAgeSeconds = stats.OldestQueuedAge?.TotalSeconds ?? 0,
        };
    }

    /// <summary>Erases the conversations' analyses and jobs (erasure or retention); idempotent, so the gateway retries it freely.</summary>
    public override async Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context)
    {
        var conversationIds = request.ValidConversationIds() is { Count: > 0 } ids
            ? ids
            : throw RpcErrors.InvalidArgument("conversation_ids must name at least one conversation, and no blank one.");
        var removed = await eraser.EraseAsync(conversationIds, context.CancellationToken);
        LogErased(conversationIds.Count, request.Reason, removed[AnalysisEraser.AnalysesStore], removed[AnalysisEraser.JobsStore]);
        return EraseConversationsReply.Of(removed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased {Conversations} conversations ({Reason}): {Analyses} analyses, {Jobs} jobs")]
    private partial void LogErased(int conversations, string reason, long analyses, long jobs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} rectified: version {Version}, fields {Fields}")]
    private partial void LogRectified(string conversationId, int version, string fields);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis of conversation {ConversationId} requested: job {JobId} (new: {Created})")]
    private partial void LogRequested(string conversationId, long jobId, bool created);
}
