using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>A registered queue, to which a consumer adds its worker: <c>builder.AddJobQueue("analysis").AddWorker&lt;AnalyzeJobHandler&gt;()</c>.</summary>
public sealed class JobQueueBuilder(IHostApplicationBuilder builder, string name)
{
    public IHostApplicationBuilder Builder { get; } = builder;

    /// <summary>The queue's name (and schema).</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Consumes this queue in this process: registers <typeparamref name="THandler"/> (scoped, keyed by the
    /// queue's name) and a hosted worker that starts once migrations are applied.
    /// </summary>
    public JobQueueBuilder AddWorker<THandler>(Action<JobWorkerOptions>? configure = null) where THandler : class, IJobHandler
    {
        var services = Builder.Services;
        services.AddKeyedScoped<IJobHandler, THandler>(Name);
        var options = services.AddOptions<JobWorkerOptions>(Name).BindConfiguration($"Jobs:{Name}").ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddSingleton<JobMetrics>();
        var name = Name;
        services.AddSingleton<IHostedService>(sp => new JobWorker(
            sp.GetRequiredKeyedService<JobQueue>(name),
            sp.GetRequiredService<IOptionsMonitor<JobWorkerOptions>>().Get(name),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<MigrationState>(),
            sp.GetRequiredService<JobMetrics>(),
            sp.GetRequiredService<ILogger<JobWorker>>()));
        return this;
    }
}
