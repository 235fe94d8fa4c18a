namespace VoiceAnalytics.Gateway.Model;

/// <summary>
/// A verified, parsed ElevenLabs webhook, ready to be stored. <see cref="Payload"/> is the whole event JSON as
/// received (unknown fields kept), except that a <c>post_call_audio</c>'s base64 is decoded into
/// <see cref="Audio"/> and its place in the JSON left null. Before it is stored or spooled the ingestor seals it
/// (<c>PayloadSealer</c>): <see cref="Payload"/> becomes one encrypted JSON string, <see cref="Audio"/> encrypted
/// bytes, and <see cref="CallerPhone"/> gives way to its keyed hash.
/// </summary>
public sealed record WebhookEvent(
    string Type,
    string ConversationId,
    string? AgentId,
    long? EventTimestamp,
    string Payload,
    byte[]? Audio,
    string? TraceParent,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The caller's number as the parser found it; in memory only, never stored or spooled.</summary>
    public string? CallerPhone { get; init; }

    /// <summary>The keyed hash of the caller's number, for lookup by phone ("" when the event has none).</summary>
    public string? PhoneHash { get; init; }

    /// <summary>The address the webhook came from, as stored (in clear for 7 days, then its keyed hash).</summary>
    public string? SourceAddress { get; init; }

    /// <summary>When the event went to the outage spool; null when it went to Postgres directly.</summary>
    public DateTimeOffset? SpooledAt { get; init; }

    /// <summary>True once <see cref="Payload"/> and <see cref="Audio"/> are encrypted.</summary>
    public bool IsSealed { get; init; }

    /// <summary>Bytes this event holds in memory; the batcher bounds a batch by it.</summary>
    public long Weight => Payload.Length + (Audio?.Length ?? 0);
}
