using Microsoft.Extensions.Options;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Retries pending erasures until every owner has reported: every <see cref="ErasureOptions.PollInterval"/>, the
/// requests whose backoff has passed (an owner was down or too slow) are attempted again.
/// </summary>
public sealed partial class ErasureWorker(
    ErasureRequestStore requests, ErasureCompleter completer, MigrationState migrations, IOptions<ErasureOptions> options, TimeProvider time,
    ILogger<ErasureWorker> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await requests.ClaimDueAsync(BatchSize, stoppingToken))
                {
                    await completer.AttemptAsync(id, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.GetType().Name);
            }
            await Task.Delay(options.Value.PollInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying pending erasures failed ({Error}); trying again next round")]
    private partial void LogFailed(string error);
}
