using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.Infrastructure.Data;
using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

/// <summary>
/// A service process in miniature: the database, the <c>work</c> queue and its worker with <see cref="TestJobHandler"/>
/// (or, with <c>batches</c>, <see cref="TestBatchJobHandler"/>).
/// </summary>
internal static class WorkerHost
{
    public static async Task<IHost> StartAsync(string connectionString, Action<JobWorkerOptions>? configureWorker = null,
        Action<JobQueueOptions>? configureQueue = null, string queueName = QueueDatabase.QueueName, bool batches = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{VoiceDatabaseExtensions.ConnectionName}"] = connectionString,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The infrastructure library embeds no migrations of its own: only the queue's DDL is applied.
        builder.AddVoiceDatabase("worker_test", typeof(JobQueue).Assembly);
        builder.Services.AddSingleton<JobProbe>();
        var queue = builder.AddJobQueue(queueName, configureQueue);
        _ = batches ? queue.AddWorker<TestBatchJobHandler>(configureWorker) : queue.AddWorker<TestJobHandler>(configureWorker);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static JobQueue Queue(this IHost host, string queueName = QueueDatabase.QueueName) =>
        host.Services.GetRequiredKeyedService<JobQueue>(queueName);

    public static JobProbe Probe(this IHost host) => host.Services.GetRequiredService<JobProbe>();
}
