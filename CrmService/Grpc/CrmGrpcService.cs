using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Data;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.CrmService.Grpc;

/// <summary>The <c>voiceanalytics.crm.v1.Crm</c> methods: thin mappings onto the queue, the exports and the breaker.</summary>
public sealed partial class CrmGrpcService(
    [FromKeyedServices(PipelineJobs.Crm.Queue)] JobQueue queue,
    ExportStatusQuery status,
    ExportStore exports,
    ExportAttemptStore attempts,
    CreatioCircuit breaker,
    CrmEraser eraser,
    IOptions<CrmOptions> options,
    ILogger<CrmGrpcService> logger) : Crm.CrmBase
{
    public override Task<NudgeExportReply> NudgeExport(NudgeExportRequest request, ServerCallContext context)
    {
        queue.Nudge();
        return Task.FromResult(new NudgeExportReply { Accepted = true });
    }

    public override async Task<ExportStatusReply> GetExportStatus(ExportStatusRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var view = await status.GetAsync(conversationId, LeadExporter.SinkOf(options.Value), context.CancellationToken)
            ?? throw RpcErrors.NotFound("No export was ever queued for this conversation.");
        return ToReply(view);
    }

    public const int MaxListedConversations = 1000;

    /// <summary>The status of each listed conversation that has an export (the admin list); the others are left out.</summary>
    public override async Task<ExportStatesReply> GetExportStates(ExportStatesRequest request, ServerCallContext context)
    {
        if (request.ConversationIds.Count > MaxListedConversations)
        {
            throw RpcErrors.InvalidArgument($"At most {MaxListedConversations} conversation ids per call.");
        }
        var reply = new ExportStatesReply();
        var sink = LeadExporter.SinkOf(options.Value);
        foreach (var conversationId in request.ConversationIds.Distinct(StringComparer.Ordinal))
        {
            if (await status.GetAsync(conversationId, sink, context.CancellationToken) is { } view)
            {
                reply.Exports.Add(ToReply(view));
            }
        }
        return reply;
    }

    private static ExportStatusReply ToReply(ExportStatusView view)
    {
        var reply = new ExportStatusReply
        {
            ConversationId = view.ConversationId,
            State = view.State,
            Attempts = view.Attempts,
            LastError = view.LastError ?? "",
            CrmRecordId = view.CrmRecordId.ToString("D"),
            UpdatedAt = Timestamp.FromDateTimeOffset(view.UpdatedAt),
            Sink = view.Sink,
            AnalysisId = view.AnalysisId ?? 0,
        };
        if (view.ExportedAt is { } exportedAt)
        {
            reply.ExportedAt = Timestamp.FromDateTimeOffset(exportedAt);
        }
        return reply;
    }

    public override async Task<RetryExportReply> RetryExport(RetryExportRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var requestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? null : ExportJobPayload.RequestedByPatch(request.RequestedBy);
        var jobId = await queue.RequeueAsync(PipelineJobs.Crm.Export, conversationId, context.CancellationToken, requestedBy)
            ?? throw RpcErrors.NotFound("No export was ever queued for this conversation.");
        await exports.SetStateAsync(conversationId, ExportStates.Queued, null, context.CancellationToken);
        return new RetryExportReply { JobId = jobId };
    }

    public override async Task<ExportAttemptsReply> ListExportAttempts(ExportStatusRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var reply = new ExportAttemptsReply();
        foreach (var a in await attempts.ListAsync(conversationId, context.CancellationToken))
        {
            reply.Attempts.Add(new ExportAttempt
            {
                AttemptId = a.Id,
                AnalysisId = a.AnalysisId,
                AnalysisVersion = a.AnalysisVersion,
                CrmRecordId = a.CrmRecordId.ToString("D"),
                Sink = a.Sink,
                Outcome = a.Outcome,
                Error = a.Error ?? "",
                StartedAt = Timestamp.FromDateTimeOffset(a.StartedAt),
                FinishedAt = Timestamp.FromDateTimeOffset(a.FinishedAt),
                RequestedBy = a.RequestedBy,
            });
        }
        return reply;
    }

    public override Task<CircuitStateReply> GetCircuitState(CircuitStateRequest request, ServerCallContext context)
    {
        var snapshot = breaker.Snapshot();
        var reply = new CircuitStateReply { State = snapshot.StateName, ConsecutiveFailures = snapshot.ConsecutiveFailures };
        if (snapshot.OpenedAt is { } openedAt)
        {
            reply.OpenedAt = Timestamp.FromDateTimeOffset(openedAt);
        }
        return Task.FromResult(reply);
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

    /// <summary>Erases the conversations' exports, jobs and Markdown sections (erasure or retention); idempotent, so the gateway retries it freely.</summary>
    public override async Task<EraseConversationsReply> EraseConversations(EraseConversationsRequest request, ServerCallContext context)
    {
        var conversationIds = request.ValidConversationIds() is { Count: > 0 } ids
            ? ids
            : throw RpcErrors.InvalidArgument("conversation_ids must name at least one conversation, and no blank one.");
        var removed = await eraser.EraseAsync(conversationIds, context.CancellationToken);
        LogErased(conversationIds.Count, request.Reason, removed[CrmEraser.ExportsStore], removed[CrmEraser.JobsStore], removed[CrmEraser.MarkdownStore]);
        return EraseConversationsReply.Of(removed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased {Conversations} conversations ({Reason}): {Exports} exports, {Jobs} jobs, {Sections} Markdown sections")]
    private partial void LogErased(int conversations, string reason, long exports, long jobs, long sections);
}
