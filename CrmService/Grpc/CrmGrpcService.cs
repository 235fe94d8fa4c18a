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

namespace VoiceAnalytics.CrmService.Grpc;

/// <summary>The <c>voiceanalytics.crm.v1.Crm</c> methods: thin mappings onto the queue, the exports and the breaker.</summary>
public sealed class CrmGrpcService(
    [FromKeyedServices(CrmQueue.Name)] JobQueue queue,
    ExportStatusQuery status,
    ExportStore exports,
    CreatioCircuit breaker,
    IOptions<CrmOptions> options) : Crm.CrmBase
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
        return new ExportStatusReply
        {
            ConversationId = view.ConversationId,
            State = view.State,
            Attempts = view.Attempts,
            LastError = view.LastError ?? "",
            CrmRecordId = view.CrmRecordId.ToString("D"),
            UpdatedAt = Timestamp.FromDateTimeOffset(view.UpdatedAt),
            Sink = view.Sink,
        };
    }

    public override async Task<RetryExportReply> RetryExport(RetryExportRequest request, ServerCallContext context)
    {
        var conversationId = RpcErrors.RequireNonEmpty(request.ConversationId, "conversation_id");
        var jobId = await queue.RequeueAsync(ExportPayload.Kind, conversationId, context.CancellationToken)
            ?? throw RpcErrors.NotFound("No export was ever queued for this conversation.");
        await exports.SetStateAsync(conversationId, ExportStates.Queued, null, context.CancellationToken);
        return new RetryExportReply { JobId = jobId };
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
}
