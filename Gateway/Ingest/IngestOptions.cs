using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>How accepted webhooks reach Postgres: the group-commit batcher and the outage spool.</summary>
public sealed class IngestOptions
{
    /// <summary>The fsync'd JSONL spool used while Postgres is unavailable (the seed's fallback file).</summary>
    [ConfigurationKeyName("WEBHOOK_SPOOL_PATH")]
    [Required]
    public string SpoolPath { get; set; } = "logs/events.jsonl";

    /// <summary>Most events committed in one transaction.</summary>
    [ConfigurationKeyName("INGEST_BATCH_MAX_EVENTS")]
    [Range(1, 10_000)]
    public int BatchMaxEvents { get; set; } = 256;

    /// <summary>Most bytes (payload and audio) in one transaction; one larger event still goes alone.</summary>
    [ConfigurationKeyName("INGEST_BATCH_MAX_BYTES")]
    [Range(1024, int.MaxValue)]
    public int BatchMaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Batches committed concurrently. One is the group commit proper: while its commit waits for the WAL flush,
    /// every webhook that arrives joins the next batch, so batches grow with the load and the per-commit cost is
    /// shared. Measured with 32 connections on a busy 2-core machine, back to back at the same load: 1 writer
    /// 1812 acks/s at 201 µs CPU each, 8 writers 446 acks/s at 834 µs (docs/benchmarks-gateway.md).
    /// </summary>
    [ConfigurationKeyName("INGEST_WRITERS")]
    [Range(1, 64)]
    public int Writers { get; set; } = 1;

    /// <summary>Pause between attempts to replay the spool while Postgres is still down.</summary>
    [ConfigurationKeyName("INGEST_REPLAY_RETRY_MS")]
    [Range(10, 600_000)]
    public int ReplayRetryMilliseconds { get; set; } = 1000;
}
