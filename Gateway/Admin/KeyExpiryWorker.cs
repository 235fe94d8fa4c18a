using Microsoft.Extensions.Options;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>Runs the key expiry check once the schema is migrated, then every <see cref="AdminOptions.KeyExpiryCheckInterval"/>.</summary>
public sealed partial class KeyExpiryWorker(
    KeyExpiryNotifier notifier, MigrationState migrations, IOptions<AdminOptions> options, TimeProvider time, ILogger<KeyExpiryWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifier.CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
            await Task.Delay(options.Value.KeyExpiryCheckInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key expiry check failed ({Error}); retrying next run")]
    private partial void LogFailed(string error);
}
