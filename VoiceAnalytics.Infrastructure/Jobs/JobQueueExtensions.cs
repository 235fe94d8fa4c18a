using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>Registration of durable job queues.</summary>
public static class JobQueueExtensions
{
    /// <summary>
    /// Registers the queue <paramref name="name"/> (its rows in the shared <c>jobs.jobs</c>) as a keyed
    /// <see cref="JobQueue"/> singleton (<c>[FromKeyedServices("analysis")]</c>), and the <c>jobs</c> schema's
    /// migrations with the migration runner, so producers and consumers alike can create it. Needs <c>AddVoiceDatabase</c>.
    /// One process may register several queues (consume one, produce into another). Options come from
    /// configuration section <c>Jobs:&lt;name&gt;</c>, then from <paramref name="configure"/>.
    /// </summary>
    public static JobQueueBuilder AddJobQueue(this IHostApplicationBuilder builder, string name, Action<JobQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        JobQueueMigration.EnsureValidName(name);
        var options = builder.Services.AddOptions<JobQueueOptions>(name).BindConfiguration($"Jobs:{name}").ValidateDataAnnotations().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        builder.Services.AddKeyedSingleton(name, (sp, _) => new JobQueue(
            name,
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptionsMonitor<JobQueueOptions>>().Get(name),
            sp.GetRequiredService<ILogger<JobQueue>>()));
        // Once per process, however many queues it registers.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IMigrationSource>(JobQueueMigration.Instance));
        return new JobQueueBuilder(builder, name);
    }
}
