using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Crm.V1;

namespace VoiceAnalytics.Gateway;

/// <summary>
/// The gateway's gRPC clients of the analysis and CRM services. Each is registered only when the service has a
/// <c>grpc</c> address (<c>services__analysis__grpc__0</c>), so a gateway deployed alone still ingests.
/// </summary>
internal static class PipelineClientExtensions
{
    public static bool HasGrpcEndpoint(this IConfiguration configuration, string service) =>
        !string.IsNullOrWhiteSpace(configuration[$"services:{service}:grpc:0"]);

    /// <summary>Retries only the calls that are safe to repeat (reads, nudges, and EraseConversations, which is idempotent); AnalyzeNow and Rectify add a version, so they are not.</summary>
    public static void TryAddAnalysisClient(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(Analysis.AnalysisClient)))
        {
            services.AddGrpcServiceClient<Analysis.AnalysisClient>("analysis", Analysis.Descriptor,
                nameof(Analysis.AnalysisClient.Submit), nameof(Analysis.AnalysisClient.GetAnalysis), nameof(Analysis.AnalysisClient.GetQueueStats),
                nameof(Analysis.AnalysisClient.ListAnalyses), nameof(Analysis.AnalysisClient.FindConversationsByPhone),
                nameof(Analysis.AnalysisClient.SummarizeConversations),
                nameof(Analysis.AnalysisClient.EraseConversations));
        }
    }

    /// <summary>Retries only the calls that are safe to repeat (EraseConversations is idempotent); RetryExport requeues, so it is not one.</summary>
    public static void TryAddCrmClient(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(Crm.CrmClient)))
        {
            services.AddGrpcServiceClient<Crm.CrmClient>("crm", Crm.Descriptor,
                nameof(Crm.CrmClient.NudgeExport), nameof(Crm.CrmClient.GetExportStatus),
                nameof(Crm.CrmClient.GetCircuitState), nameof(Crm.CrmClient.GetQueueStats), nameof(Crm.CrmClient.GetExportStates), nameof(Crm.CrmClient.EraseConversations));
        }
    }
}
