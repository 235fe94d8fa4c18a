using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Data;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Telemetry;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Makes an accepted webhook durable before it is acknowledged: concurrent webhooks are group-committed to
/// Postgres; when Postgres fails (or is not migrated yet) the batch goes to the fsync'd spool instead, and the
/// spool stays in charge until the replayer has drained it.
/// </summary>
public sealed partial class WebhookIngestor : IAsyncDisposable
{
    private readonly WebhookEventStore _store;
    private readonly EventSpool _spool;
    private readonly MigrationState _migrations;
    private readonly IAnalysisNudger _nudger;
    private readonly GatewayTelemetry _telemetry;
    private readonly ILogger<WebhookIngestor> _logger;
    private readonly GroupCommitBatcher<WebhookEvent, IngestOutcome> _batcher;
    private readonly PayloadSealer _sealer;

    public WebhookIngestor(WebhookEventStore store, EventSpool spool, MigrationState migrations, IAnalysisNudger nudger,
        GatewayTelemetry telemetry, PayloadSealer sealer, IOptions<IngestOptions> options, ILogger<WebhookIngestor> logger)
    {
        _sealer = sealer;
        _store = store;
        _spool = spool;
        _migrations = migrations;
        _nudger = nudger;
        _telemetry = telemetry;
        _logger = logger;
        var settings = options.Value;
        _batcher = new GroupCommitBatcher<WebhookEvent, IngestOutcome>(
            CommitAsync, settings.BatchMaxEvents, settings.BatchMaxBytes, e => e.Weight, settings.Writers);
    }

    /// <summary>Completes once the event is committed or spooled, encrypted (sealed here, on the caller's thread).</summary>
    /// <exception cref="SpoolUnavailableException">Neither Postgres nor the spool took it.</exception>
    public Task<IngestOutcome> IngestAsync(WebhookEvent webhookEvent) => _batcher.SubmitAsync(_sealer.Seal(webhookEvent));

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    private async Task<IReadOnlyList<IngestOutcome>> CommitAsync(IReadOnlyList<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        if (!_spool.IsActive && _migrations.IsMigrated)
        {
            try
            {
                var outcomes = await _store.StoreAsync(batch, cancellationToken);
                NudgeAnalysis(_nudger, batch, outcomes);
                return outcomes;
            }
            catch (PostgresException ex) when (IsRefusalOfData(ex))
            {
                // One event Postgres will never take: the others of the batch are stored one by one and the refused
                // one is answered 400. The database is fine, so this must not switch the gateway to the spool.
                LogDatabaseFailed(batch.Count, ex.GetType().Name, ex.SqlState);
                LogDatabaseFailureDetail(ex);
                return await StoreOneByOneAsync(batch, cancellationToken);
            }
            catch (Exception ex)
            {
                // Whatever else failed, the spool keeps the event; the replayer sorts out transient from poisoned.
                LogDatabaseFailed(batch.Count, ex.GetType().Name, (ex as PostgresException)?.SqlState);
                LogDatabaseFailureDetail(ex);
                _spool.Activate();
            }
        }
        return await SpoolAsync(batch, cancellationToken);
    }

    private async Task<IReadOnlyList<IngestOutcome>> StoreOneByOneAsync(IReadOnlyList<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        var outcomes = new IngestOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                outcomes[i] = (await _store.StoreAsync([batch[i]], cancellationToken))[0];
            }
            catch (PostgresException ex) when (IsRefusalOfData(ex))
            {
                outcomes[i] = IngestOutcome.Refused;
                LogEventRefused(batch[i].Type, ex.SqlState);
            }
            catch (Exception ex) when (ex is NpgsqlException or PostgresException or TimeoutException)
            {
                // The database failed meanwhile: this one and the rest are spooled, as in any outage.
                LogDatabaseFailed(batch.Count - i, ex.GetType().Name, (ex as PostgresException)?.SqlState);
                _spool.Activate();
                var rest = batch.Skip(i).ToList();
                var spooled = await SpoolAsync(rest, cancellationToken);
                for (var j = 0; j < rest.Count; j++)
                {
                    outcomes[i + j] = spooled[j];
                }
                break;
            }
        }
        NudgeAnalysis(_nudger, batch, outcomes);
        return outcomes;
    }

    /// <summary>
    /// Errors that are about the data itself (class 22 data exception, 23 integrity violation, 54 program limit,
    /// such as an index row too large): storing the same event again would fail again.
    /// </summary>
    internal static bool IsRefusalOfData(PostgresException ex) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal)
        || ex.SqlState.StartsWith("54", StringComparison.Ordinal);

    private async Task<IReadOnlyList<IngestOutcome>> SpoolAsync(IReadOnlyList<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _spool.AppendAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSpoolFailed(batch.Count, _spool.FilePath, ex.GetType().Name);
            throw new SpoolUnavailableException(ex);
        }
        _telemetry.Spooled(batch.Count);
        return Enumerable.Repeat(IngestOutcome.Spooled, batch.Count).ToArray();
    }

    /// <summary>One nudge per batch that created analysis jobs.</summary>
    internal static void NudgeAnalysis(IAnalysisNudger nudger, IReadOnlyList<WebhookEvent> batch, IReadOnlyList<IngestOutcome> outcomes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] == IngestOutcome.Stored && batch[i].Type == WebhookEventTypes.Transcription)
            {
                nudger.Nudge(batch[i].ConversationId);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postgres did not take a batch of {Count} webhooks ({Error}, SQLSTATE {SqlState}); spooling")]
    private partial void LogDatabaseFailed(int count, string error, string? sqlState);

    // Postgres messages can quote values from the payload: only at Debug.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Postgres failure detail")]
    private partial void LogDatabaseFailureDetail(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Postgres refuses a {EventType} webhook (SQLSTATE {SqlState}); answered 400, nothing stored")]
    private partial void LogEventRefused(string eventType, string sqlState);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Spool {Path} not writable ({Error}): {Count} webhooks refused with 503")]
    private partial void LogSpoolFailed(int count, string path, string error);
}
