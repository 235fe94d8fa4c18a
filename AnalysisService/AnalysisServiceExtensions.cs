using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Analyzers.Offline;
using VoiceAnalytics.AnalysisService.Analyzers.OpenAi;
using VoiceAnalytics.AnalysisService.Data;
using VoiceAnalytics.AnalysisService.Grpc;
using VoiceAnalytics.AnalysisService.Throttling;
using VoiceAnalytics.AnalysisService.Workers;
using VoiceAnalytics.Infrastructure.Configuration;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Grpc;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Protos.Crm.V1;
using VoiceAnalytics.Protos.Jobs;

namespace VoiceAnalytics.AnalysisService;

/// <summary>Everything the analysis service registers, in one place.</summary>
public static class AnalysisServiceExtensions
{
    /// <summary>The schema this service owns and alone writes.</summary>
    public const string Schema = "analysis";

    /// <summary>
    /// Claim loops with the offline analyzer: a job is a few milliseconds of rules between database round trips,
    /// so eight loops keep two cores busy without piling up connections (bench/pipeline, docs/benchmarks-pipeline.md).
    /// </summary>
    public const int OfflineClaimLoops = 8;

    /// <summary>
    /// Jobs a claim loop takes at once with the offline analyzer, handled as one batch: one read of their events and
    /// one transaction for their analyses, export jobs and completions. 16 gave most of the saving measured
    /// (bench/pipeline/drain.sh, docs/benchmarks-pipeline.md: 32 saved little more) while a batch stays short and a
    /// failed one reruns few jobs alone. With an LLM a loop takes one, so no job waits behind another's provider call.
    /// </summary>
    public const int OfflineClaimBatch = 16;

    public static IHostApplicationBuilder AddAnalysisServices(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.AddVoiceDatabase(Schema, typeof(AnalysisServiceExtensions).Assembly);

        builder.AddAnalysisOptions();

        // The verdict's name, phone and email are stored encrypted; after a key rotation they are rewritten.
        builder.AddPiiReencryption(new PiiColumnSet("analysis.analyses", "id", [new PiiColumn("result", IsJson: true)]));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AnalysisMetrics>();
        builder.Services.AddSingleton<LlmThrottle>();
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<AnalysisStore>();
        builder.Services.AddSingleton<AnalysisEraser>();
        builder.Services.AddSingleton<AnalysisRectifier>();
        builder.Services.AddSingleton<AnalysisLookup>();
        builder.Services.AddSingleton<LeadSourceReader>();
        builder.Services.AddSingleton<CrmNudger>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CrmNudger>());
        builder.Services.AddSingleton<AnalysisGrpcService>();
        // No OPENAI_API_KEY: the offline rules, so a fresh machine runs the whole pipeline.
        builder.Services.AddSingleton<IAnalyzer>(sp => sp.GetRequiredService<IOptions<AnalyzerOptions>>().Value.UsesOpenAi
            ? ActivatorUtilities.CreateInstance<OpenAiAnalyzer>(sp)
            : new OfflineAnalyzer());

        // Claim loops, with an LLM: one per allowed call in flight plus half as many again (at least one), so that
        // while a loop stores its result and claims the next job, a spare loop is already waiting at the throttle and
        // no LLM slot sits idle. The offline rules take no throttle slot: there the loops are bounded by the
        // database round trips a job waits on, not by the provider. Registered before the worker binds
        // Jobs:analysis, so Jobs:analysis:Concurrency and Jobs:analysis:ClaimBatch override these.
        builder.Services.AddOptions<JobWorkerOptions>(PipelineJobs.Analysis.Queue).Configure<IOptions<ThrottleOptions>, IOptions<AnalyzerOptions>>(
            (worker, throttle, analyzer) =>
            {
                var inFlight = throttle.Value.MaxConcurrency;
                worker.Concurrency = analyzer.Value.UsesOpenAi
                    ? Math.Clamp(inFlight + Math.Max(1, inFlight / 2), 1, 256)
                    : OfflineClaimLoops;
                worker.ClaimBatch = analyzer.Value.UsesOpenAi ? 1 : OfflineClaimBatch;
            });
        builder.AddJobQueue(PipelineJobs.Analysis.Queue).AddWorker<AnalyzeJobHandler>();
        // Producer side of the CRM queue: the export job commits with the analysis.
        builder.AddJobQueue(PipelineJobs.Crm.Queue);
        // Only with a CRM address (services__crm__grpc__0): without one there is nobody to nudge, and the CRM
        // workers poll anyway. A nudge is safe to repeat: it only wakes the CRM's workers.
        if (!string.IsNullOrWhiteSpace(configuration["services:crm:grpc:0"]))
        {
            builder.Services.AddGrpcServiceClient<Crm.CrmClient>("crm", Crm.Descriptor, nameof(Crm.CrmClient.NudgeExport));
        }

        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<DatabaseUnavailableInterceptor>());
        // grpc.health.v1 answers from the same checks as /health: reachable and migrated.
        builder.Services.AddGrpcHealthChecks(health => health.Services.Map(Protos.Analysis.V1.Analysis.Descriptor.FullName, _ => true));
        builder.Services.AddGrpcReflection();
        return builder;
    }

    /// <summary>
    /// The analyzer's and the throttle's options from section <c>Analysis</c>, with the flat OPENAI_* and ANALYZE_*
    /// names mapped onto it, validated at start: a setting that cannot work stops the service naming the variable.
    /// </summary>
    public static IHostApplicationBuilder AddAnalysisOptions(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddFlatVariables([.. AnalyzerOptions.FlatVariables, .. ThrottleOptions.FlatVariables]);
        builder.Services.AddOptions<AnalyzerOptions>().BindConfiguration(AnalyzerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ThrottleOptions>().BindConfiguration(ThrottleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }
}
