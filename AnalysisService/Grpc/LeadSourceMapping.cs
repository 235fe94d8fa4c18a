using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.AnalysisService.Grpc;

/// <summary>A stored lead as the gRPC contract shows it (absent text as empty strings).</summary>
public static class LeadSourceMapping
{
    public static LeadSource ToLeadSource(this StoredLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadSource
        {
            AnalysisId = lead.AnalysisId,
            EventId = lead.EventId,
            Version = lead.Version,
            ConversationId = lead.ConversationId,
            AgentId = lead.AgentId ?? "",
            TraceParent = lead.TraceParent ?? "",
            Superseded = lead.Superseded,
            ResultJson = lead.ResultJson,
        };
    }
}
