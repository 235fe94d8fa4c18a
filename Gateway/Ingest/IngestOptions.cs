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
    /// Batches committed concurrently. More than one lets batches fill while others wait for their commit's WAL
    /// flush and round trips; measured on a busy 2-core machine, 8 beat 2 (docs/benchmarks-gateway.md). Each
    /// writer holds one pooled connection only while it commits.
    /// </summary>
    [ConfigurationKeyName("INGEST_WRITERS")]
    [Range(1, 64)]
    public int Writers { get; set; } = 8;

    /// <summary>Pause between attempts to replay the spool while Postgres is still down.</summary>
    [ConfigurationKeyName("INGEST_REPLAY_RETRY_MS")]
    [Range(10, 600_000)]
    public int ReplayRetryMilliseconds { get; set; } = 1000;
}
