using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using VoiceAnalytics.AnalysisService.Data;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Telemetry;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;

namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>The <c>voiceanalytics.analysis.v1.Analysis</c> methods: thin, validating, mapping to the domain.</summary>
public sealed partial class AnalysisGrpcService(
    [FromKeyedServices(AnalysisJobs.Queue)] JobQueue queue,
    EventStore events,
    AnalysisStore analyses,
    AnalysisEraser eraser,
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
        // A request while one is still queued joins it rather than analysing twice.
        var enqueued = await queue.EnqueueAsync(AnalysisJobs.AnalyzeNow, conversationId,
            new AnalyzeJobPayload(stored.Id, reason).ToJson(), ConversationTelemetry.CurrentTraceParent() ?? stored.TraceParent,
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
        var verdict = analysis.Verdict;
        return new AnalysisReply
        {
            AnalysisId = analysis.Id,
            ConversationId = analysis.ConversationId,
            Version = analysis.Version,
            Model = analysis.Model,
            PromptVersion = analysis.PromptVersion,
            Verdict = new Protos.Analysis.V1.Verdict
            {
                Topic = verdict.Topic,
                Intent = verdict.Intent,
                Quality = verdict.Quality,
                Outcome = verdict.Outcome,
                SummaryRu = verdict.SummaryRu,
                Recommendations = verdict.Recommendations,
                ClientName = verdict.ClientName,
                Phone = verdict.Phone,
            },
            InputTokens = analysis.InputTokens,
            OutputTokens = analysis.OutputTokens,
            LatencyMs = analysis.LatencyMs,
            CostUsd = (double)analysis.CostUsd,
            CreatedAt = Timestamp.FromDateTimeOffset(analysis.CreatedAt),
        };
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis of conversation {ConversationId} requested: job {JobId} (new: {Created})")]
    private partial void LogRequested(string conversationId, long jobId, bool created);
}
