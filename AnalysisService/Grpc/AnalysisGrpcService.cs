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
        var enqueued = await queue.EnqueueAsync(AnalysisJobs.AnalyzeNow, conversationId,
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis of conversation {ConversationId} requested: job {JobId} (new: {Created})")]
    private partial void LogRequested(string conversationId, long jobId, bool created);
}
