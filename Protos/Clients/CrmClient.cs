using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Protos.Clients;

/// <summary>Typed client of <c>voiceanalytics.crm.v1.Crm</c>.</summary>
public sealed class CrmClient(GrpcChannel channel)
{
    private static readonly string Service = "/" + CrmReflection.Descriptor.Services[0].FullName + "/";

    public GrpcChannel Channel { get; } = channel;

    public Task<NudgeExportReply> NudgeExportAsync(NudgeExportRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "NudgeExport", request, NudgeExportReply.Parser, options);

    public Task<ExportStatusReply> GetExportStatusAsync(ExportStatusRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "GetExportStatus", request, ExportStatusReply.Parser, options);

    public Task<RetryExportReply> RetryExportAsync(RetryExportRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "RetryExport", request, RetryExportReply.Parser, options);

    public Task<CircuitStateReply> GetCircuitStateAsync(CircuitStateRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "GetCircuitState", request, CircuitStateReply.Parser, options);

    public Task<QueueStats> GetQueueStatsAsync(QueueStatsRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "GetQueueStats", request, QueueStats.Parser, options);
}
