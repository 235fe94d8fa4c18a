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

    public WebhookIngestor(WebhookEventStore store, EventSpool spool, MigrationState migrations, IAnalysisNudger nudger,
        GatewayTelemetry telemetry, IOptions<IngestOptions> options, ILogger<WebhookIngestor> logger)
    {
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

    /// <summary>Completes once the event is committed or spooled.</summary>
    /// <exception cref="SpoolUnavailableException">Neither Postgres nor the spool took it.</exception>
    public Task<IngestOutcome> IngestAsync(WebhookEvent webhookEvent) => _batcher.SubmitAsync(webhookEvent);

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
            catch (Exception ex)
            {
                // Whatever the failure, the spool keeps the event; the replayer sorts out transient from poisoned.
                LogDatabaseFailed(batch.Count, ex.GetType().Name, (ex as PostgresException)?.SqlState);
                LogDatabaseFailureDetail(ex);
                _spool.Activate();
            }
        }
        return await SpoolAsync(batch, cancellationToken);
    }

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

    [LoggerMessage(Level = LogLevel.Critical, Message = "Spool {Path} not writable ({Error}): {Count} webhooks refused with 503")]
    private partial void LogSpoolFailed(int count, string path, string error);
}
