using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VoiceAnalytics.Infrastructure.Jobs;
using VoiceAnalytics.Protos.Jobs;
using VoiceAnalytics.TestSupport.Hosting;
using CrmClient = VoiceAnalytics.Protos.Crm.V1.Crm.CrmClient;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>
/// The CRM service from its own Program.cs against a test database, a fake analysis service and a fake CRM, with quick backoffs so that
/// retries happen within a test.
/// </summary>
public sealed class CrmFactory(CrmDatabase database, IDictionary<string, string?> settings)
    : ServiceFactory<Program>(database.ConnectionString, WithTestDefaults(database, settings))
{
    private CrmClient? _client;

    public CrmClient Client => _client ??= new CrmClient(Channel);

    public JobQueue Queue => Services.GetRequiredKeyedService<JobQueue>(PipelineJobs.Crm.Queue);

    public static async Task<CrmFactory> StartAsync(CrmDatabase database, IDictionary<string, string?> settings)
    {
        var factory = new CrmFactory(database, settings);
        await factory.StartAsync();
        return factory;
    }

    /// <summary>
    /// Stops the export worker (the rest of the service runs on), so that a test claims the jobs and hands them to
    /// the handler itself.
    /// </summary>
    public async Task StopWorkerAsync()
    {
        // The worker is internal to the job queue's library: found by its type's name.
        var worker = Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "JobWorker");
        await worker.StopAsync(CancellationToken.None);
    }

    /// <summary>The crm queue's handler, resolved as the worker resolves it.</summary>
    public IBatchJobHandler ExportHandler(IServiceScope scope) =>
        (IBatchJobHandler)scope.ServiceProvider.GetRequiredKeyedService<IJobHandler>(PipelineJobs.Crm.Queue);

    /// <summary>Queues an export as the analysis service does (kind export, key = conversation id).</summary>
    public Task<EnqueueResult> EnqueueExportAsync(string conversationId, long analysisId, string? traceParent = null) =>
        Queue.EnqueueAsync(PipelineJobs.Crm.Export, conversationId, new ExportJobPayload(analysisId).ToJson(), traceParent, deduplicate: true);

    private static Dictionary<string, string?> WithTestDefaults(CrmDatabase database, IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["services:analysis:grpc:0"] = database.Analysis.Address,
            ["Crm:AnalysisUnavailableDelay"] = "00:00:00.100",
            ["CRM_LANDING_ID"] = CrmTestOptions.LandingId,
            ["CRM_MD_ENABLED"] = "false",
            ["CRM_TIMEOUT_MS"] = "2000",
            ["Crm:QuickRetryDelay"] = "00:00:00.010",
            ["Jobs:crm:Concurrency"] = "4",
            ["Jobs:crm:MaxAttempts"] = "50",
            ["Jobs:crm:RetryBaseDelay"] = "00:00:00.050",
            ["Jobs:crm:RetryMaxDelay"] = "00:00:00.300",
            ["Jobs:crm:PollInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        return all;
    }
}
