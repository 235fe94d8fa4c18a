using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// After a key rotation, rewrites every registered <see cref="PiiColumnSet"/> under the new active key: once the
/// schema is migrated, then every <see cref="PrivacyOptions.ReencryptionInterval"/>. When a pass finds nothing
/// under an old key, that key can be removed from configuration.
/// </summary>
internal sealed partial class PiiReencryptionWorker(
    IEnumerable<PiiColumnSet> sets, PiiReencryptor reencryptor, MigrationState migrations, IOptions<PrivacyOptions> options,
    TimeProvider time, ILogger<PiiReencryptionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var set in sets)
            {
                try
                {
                    var rows = await reencryptor.ReencryptAsync(set, options.Value.ReencryptionBatchSize, stoppingToken);
                    if (rows > 0)
                    {
                        LogReencrypted(set.Table, rows);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(set.Table, ex.GetType().Name);
                }
            }
            await Task.Delay(options.Value.ReencryptionInterval, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Rows} rows of {Table} under the active privacy key")]
    private partial void LogReencrypted(string table, int rows);

    // The exception type only: a decryption failure's message is safe, but a database error may quote a value.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-encryption of {Table} failed ({Error}); retrying next pass")]
    private partial void LogFailed(string table, string error);
}
