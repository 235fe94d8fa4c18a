using Google.Protobuf.WellKnownTypes;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>A stored analysis version as the gRPC contract shows it (the verdict decrypted).</summary>
public static class AnalysisReplyMapping
{
    public static AnalysisReply ToReply(this StoredAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
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
            Reason = analysis.Reason ?? "",
            RequestedBy = analysis.RequestedBy ?? "",
            EventId = analysis.EventId,
        };
    }
}
