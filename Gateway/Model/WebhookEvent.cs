namespace VoiceAnalytics.Gateway.Model;

/// <summary>
/// A verified, parsed ElevenLabs webhook, ready to be stored. <see cref="Payload"/> is the whole event JSON as
/// received (unknown fields kept), except that a <c>post_call_audio</c>'s base64 is decoded into
/// <see cref="Audio"/> and its place in the JSON left null.
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
    /// <summary>Bytes this event holds in memory; the batcher bounds a batch by it.</summary>
    public long Weight => Payload.Length + (Audio?.Length ?? 0);
}
