using Microsoft.Extensions.Options;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Runs the retention purge and the hashing of old source addresses once the schema is migrated, then every
/// <see cref="RetentionOptions.Interval"/>.
/// </summary>
public sealed partial class RetentionWorker(
    RetentionPurger purger, SourceAddressHasher addresses, MigrationState migrations, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await purger.PurgeAsync(stoppingToken);
                LogPurged(removed.Values.Sum());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
            try
            {
                LogAddressesHashed(await addresses.HashExpiredAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
            await Task.Delay(options.Value.Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention purge removed {Rows} rows")]
    private partial void LogPurged(long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention replaced {Count} source addresses older than their clear days by their keyed hash")]
    private partial void LogAddressesHashed(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention purge failed ({Error}); retrying next run")]
    private partial void LogFailed(string error);
}
