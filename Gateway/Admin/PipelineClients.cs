using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The analysis and CRM services' gRPC clients, when their addresses are configured (null otherwise).</summary>
public sealed class PipelineClients(IServiceProvider services)
{
    public Analysis.AnalysisClient? Analysis => services.GetService<Analysis.AnalysisClient>();

    public Crm.CrmClient? Crm => services.GetService<Crm.CrmClient>();
}
