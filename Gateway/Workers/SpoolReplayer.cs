using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Data;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Telemetry;
using VoiceAnalytics.Infrastructure.Data;

namespace VoiceAnalytics.Gateway.Workers;

/// <summary>
/// Drains the outage spool into Postgres, in the order the events were accepted, once Postgres takes writes
/// again. A replay that is interrupted (Postgres fails again, the process dies) starts the file over: events
/// already committed are skipped by their (type, conversation_id) key, so each is stored exactly once.
/// </summary>
public sealed partial class SpoolReplayer(
    EventSpool spool, WebhookEventStore store, PayloadSealer sealer, MigrationState migrations, IAnalysisNudger nudger, GatewayTelemetry telemetry,
    IOptions<IngestOptions> options, ILogger<SpoolReplayer> logger, AuditTrail? audit = null) : BackgroundService
{
    private const int BatchEvents = 200;
    private const long BatchBytes = 8 * 1024 * 1024;

    private readonly TimeSpan _retryDelay = options.Value.ReplayRetryDelay;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Waits for the gateway's migrations: until then the tables the replay writes to may not exist.
        await migrations.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await spool.WhenActiveAsync(stoppingToken);
            try
            {
                while (await spool.BeginReplayAsync(stoppingToken) is { } file)
                {
                    var count = await ReplayFileAsync(file, stoppingToken);
                    spool.CompleteReplay(file);
                    LogReplayed(count);
                }
                if (await spool.TryDeactivateAsync(stoppingToken))
                {
                    LogDrained();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogReplayPaused(ex.GetType().Name, (ex as PostgresException)?.SqlState, _retryDelay.TotalMilliseconds);
                await Task.Delay(_retryDelay, stoppingToken);
            }
        }
    }

    private async Task<int> ReplayFileAsync(string file, CancellationToken cancellationToken)
    {
        var total = 0;
        var batch = new List<WebhookEvent>(BatchEvents);
        long bytes = 0;
        await foreach (var line in EventSpool.ReadLinesAsync(file, cancellationToken))
        {
            WebhookEvent e;
            try
            {
                e = SpoolCodec.Read(line.Span);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                // A torn line from a crash mid-append: it was never acknowledged, so dropping it loses nothing.
                await QuarantineAsync(file, line, cancellationToken);
                continue;
            }
            batch.Add(e);
            bytes += line.Length;
            if (batch.Count >= BatchEvents || bytes >= BatchBytes)
            {
                total += await StoreAsync(file, batch, cancellationToken);
                batch.Clear();
                bytes = 0;
            }
        }
        if (batch.Count > 0)
        {
            total += await StoreAsync(file, batch, cancellationToken);
        }
        return total;
    }

    private async Task<int> StoreAsync(string file, List<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        try
        {
            return await CountAsync(batch, await store.StoreAsync(batch, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (IsPermanent(ex))
        {
            // One event Postgres will never take must not block the rest: store them one by one and set the
            // refused ones aside.
            var stored = 0;
            foreach (var e in batch)
            {
                try
                {
                    stored += await CountAsync([e], await store.StoreAsync([e], cancellationToken), cancellationToken);
                }
                catch (Exception single) when (IsPermanent(single))
                {
                    LogEventQuarantined(e.Type, e.ConversationId, ((PostgresException)single).SqlState);
                    var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                    // Sealed, so a line spooled before encryption does not reach the .rejected file in clear.
                    SpoolCodec.Write(buffer, sealer.Seal(e));
                    await QuarantineAsync(file, buffer.WrittenMemory, cancellationToken);
                }
            }
            return stored;
        }
    }

    private async Task<int> CountAsync(IReadOnlyList<WebhookEvent> batch, IReadOnlyList<IngestOutcome> outcomes, CancellationToken cancellationToken)
    {
        // A spooled event of a conversation erased since is dropped by the store; the drop is on the record, as at the edge.
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i] == IngestOutcome.Erased && audit is not null)
            {
                await audit.AppendAsync(new AuditEntry("system:spool-replay", "system", "webhook.dropped_erased", $"conversation/{batch[i].ConversationId}",
                    batch[i].ConversationId, Details: new Dictionary<string, string?> { ["event_type"] = batch[i].Type, ["via"] = "spool" }), cancellationToken);
            }
        }
        WebhookIngestor.NudgeAnalysis(nudger, batch, outcomes);
        var stored = outcomes.Count(o => o == IngestOutcome.Stored);
        telemetry.Replayed(stored);
        return stored;
    }

    // Only a refusal of the data itself sets an event aside; anything else (a permission, a missing table) pauses
    // the replay and retries, because the event is fine and was acknowledged.
    private static bool IsPermanent(Exception ex) => ex is PostgresException postgres && WebhookIngestor.IsRefusalOfData(postgres);

    private static async Task QuarantineAsync(string file, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        // Owner-only, like the spool's personal data deserves; erasure removes its lines too.
        await using var stream = new FileStream(EventSpool.RejectedPath(file), EventSpool.OwnerOnly(FileMode.Append, FileAccess.Write));
        await stream.WriteAsync(line, cancellationToken);
        if (line.Length == 0 || line.Span[^1] != '\n')
        {
            stream.WriteByte((byte)'\n');
        }
        stream.Flush(flushToDisk: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed the spool: {Count} webhooks newly stored")]
    private partial void LogReplayed(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spool drained; webhooks go straight to Postgres again")]
    private partial void LogDrained();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool replay paused ({Error}, SQLSTATE {SqlState}); retrying in {DelayMs} ms")]
    private partial void LogReplayPaused(string error, string? sqlState, double delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Postgres refuses spooled {EventType} of {ConversationId} (SQLSTATE {SqlState}); set aside in the .rejected file")]
    private partial void LogEventQuarantined(string eventType, string conversationId, string sqlState);
}
