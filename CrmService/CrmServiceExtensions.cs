using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Data;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Grpc;
using VoiceAnalytics.CrmService.Workers;
using VoiceAnalytics.Infrastructure.Configuration;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Analysis.V1;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.CrmService;

public static class CrmServiceExtensions
{
    /// <summary>
    /// Export jobs a claim loop takes at once when the Markdown mirror is the only sink: the handler exports them in
    /// one batch (one lead read, one fsync, one commit), so a larger batch costs less per export.
    /// </summary>
    public const int MarkdownClaimBatch = 16;

    /// <summary>
    /// Everything the CRM service runs: its options (section <c>Crm</c>, or the flat CRM_* names), the <c>crm</c> schema and
    /// export queue with its worker, the Creatio client (its own Polly pipeline of breaker, quick retries
    /// and timeout, so the default resilience handler is removed), the Markdown mirror, the analysis service's client
    /// (the leads) and the gRPC API's dependencies.
    /// </summary>
    public static WebApplicationBuilder AddCrmServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddCrmOptions();

        builder.AddVoiceDatabase("crm", typeof(CrmServiceExtensions).Assembly);
        // Markdown only: an export is a file append, so a claim loop takes several jobs per claim. With Creatio a job
        // can wait seconds on the CRM, so a loop takes one and no job waits behind another. Jobs:crm:ClaimBatch overrides.
        services.AddOptions<JobWorkerOptions>(PipelineJobs.Crm.Queue).Configure<IOptions<CrmOptions>>(
            (worker, crm) => worker.ClaimBatch = crm.Value.CreatioEnabled ? 1 : MarkdownClaimBatch);
        builder.AddJobQueue(PipelineJobs.Crm.Queue).AddWorker<ExportJobHandler>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CreatioCircuit>();
        services.AddSingleton<CreatioPipeline>();
        services.AddSingleton<CrmMetrics>();
        services.AddSingleton<MarkdownMirror>();
        services.AddSingleton<CreatioRequestBuilder>();
        // The lead comes from the analysis service (decrypted there); GetLeads is a read, safe to repeat.
        services.AddGrpcServiceClient<Analysis.AnalysisClient>("analysis", Analysis.Descriptor, nameof(Analysis.AnalysisClient.GetLeads));
        services.AddTransient<AnalysisLeads>();
        services.AddSingleton<ExportStore>();
        services.AddSingleton<ExportAttemptStore>();
        services.AddSingleton<ExportStatusQuery>();
        services.AddSingleton<CrmEraser>();
        services.AddTransient<LeadExporter>();
        services.AddScoped<CrmGrpcService>();
#pragma warning disable EXTEXP0001 // Experimental API; it is the only way to take the defaults' handler off one client.
        services.AddHttpClient<CreatioClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddGrpc(grpc => grpc.Interceptors.Add<DatabaseUnavailableInterceptor>());
        // grpc.health.v1 answers from the same checks as /health: reachable and migrated.
        services.AddGrpcHealthChecks(health => health.Services.Map(Protos.Crm.V1.Crm.Descriptor.FullName, _ => true));
        services.AddGrpcReflection();
        services.AddHostedService<CrmStartupReport>();
        return builder;
    }

    /// <summary>
    /// <see cref="CrmOptions"/> from section <c>Crm</c>, with the flat CRM_* names mapped onto it, validated at
    /// start: a setting that cannot work stops the service with a message naming the variable.
    /// </summary>
    public static IHostApplicationBuilder AddCrmOptions(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddFlatVariables(CrmOptions.FlatVariables);
        builder.Services.AddOptions<CrmOptions>().BindConfiguration(CrmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
