using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>Keeps the phone lookup index current in the background (searches also catch up on their own).</summary>
public sealed partial class PhoneLookupWorker(PhoneLookupIndexer indexer, MigrationState migrations, TimeProvider time, ILogger<PhoneLookupWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await indexer.CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Phone lookup indexing failed ({Error}); retrying")]
    private partial void LogFailed(string error);
}
