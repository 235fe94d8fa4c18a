using VoiceAnalytics.Protos.Clients;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The analysis and CRM services' gRPC clients, when their addresses are configured (null otherwise).</summary>
public sealed class PipelineClients(IServiceProvider services)
{
    public AnalysisClient? Analysis => services.GetService<AnalysisClient>();

    public CrmClient? Crm => services.GetService<CrmClient>();
}
