using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Common.V1;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Protos.Clients;

/// <summary>Typed client of <c>voiceanalytics.analysis.v1.Analysis</c>.</summary>
public sealed class AnalysisClient(GrpcChannel channel)
{
    private static readonly string Service = "/" + AnalysisReflection.Descriptor.Services[0].FullName + "/";

    public GrpcChannel Channel { get; } = channel;

    public Task<SubmitReply> SubmitAsync(SubmitRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "Submit", request, SubmitReply.Parser, options);

    public Task<AnalyzeNowReply> AnalyzeNowAsync(AnalyzeNowRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "AnalyzeNow", request, AnalyzeNowReply.Parser, options);

    public Task<AnalysisReply> GetAnalysisAsync(GetAnalysisRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "GetAnalysis", request, AnalysisReply.Parser, options);

    public Task<QueueStats> GetQueueStatsAsync(QueueStatsRequest request, CallOptions options = default) =>
        Channel.UnaryAsync(Service + "GetQueueStats", request, QueueStats.Parser, options);
}
