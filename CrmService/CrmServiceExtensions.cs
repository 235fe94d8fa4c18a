using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Data;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Grpc;
using VoiceAnalytics.CrmService.Model;
using VoiceAnalytics.CrmService.Workers;
using VoiceAnalytics.ServiceDefaults.Data;
using VoiceAnalytics.ServiceDefaults.Http;
using VoiceAnalytics.ServiceDefaults.Jobs;
using VoiceAnalytics.ServiceDefaults.Privacy;

namespace VoiceAnalytics.CrmService;

public static class CrmServiceExtensions
{
    /// <summary>
    /// Everything the CRM service runs: its options (the seed's CRM_* variables), the <c>crm</c> schema and
    /// export queue with its worker, the Creatio client (its own retries and breaker, so the default
    /// resilience handler is removed), the Markdown mirror and the gRPC API's dependencies.
    /// </summary>
    public static WebApplicationBuilder AddCrmServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<CrmOptionsSetup>();
        services.AddSingleton<IConfigureOptions<CrmOptions>>(sp => sp.GetRequiredService<CrmOptionsSetup>());
        services.AddSingleton<IValidateOptions<CrmOptions>>(sp => sp.GetRequiredService<CrmOptionsSetup>());
        services.AddOptions<CrmOptions>().ValidateOnStart();

        // Waits for the analysis schema: crm.exports references analysis.analyses (erasure cascades).
        builder.AddVoiceDatabase(CrmQueue.Name, typeof(CrmServiceExtensions).Assembly);
        builder.AddJobQueue(CrmQueue.Name).AddWorker<ExportJobHandler>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CrmCircuitBreaker>();
        services.AddSingleton<CrmMetrics>();
        services.AddSingleton<MarkdownMirror>();
        services.AddSingleton<CreatioRequestBuilder>();
        // The analysis service stores the verdict's name, phone and email encrypted; the lead needs them in clear.
        builder.AddPiiProtection();
        services.AddSingleton<LeadStore>();
        services.AddSingleton<ExportStore>();
        services.AddSingleton<ExportStatusQuery>();
        services.AddTransient<LeadExporter>();
        services.AddScoped<CrmGrpcService>();
        services.AddHttpClient<CreatioClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveResilienceHandlers();
        services.AddHostedService<CrmStartupReport>();
        return builder;
    }
}
