namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// What the report says about the call itself, in the manner of a call detail record: the caller's number (already
/// masked), the agent, the duration and the recordings. Read from the stored (decrypted) transcription event;
/// empty once the conversation is erased (<see cref="Held"/> false: no event of it is stored).
/// </summary>
public sealed record CallFacts(bool Held, string? MaskedCallerNumber, string? AgentId, int? DurationSeconds, DateTimeOffset? StartedAt, IReadOnlyList<long> RecordingIds)
{
    public static readonly CallFacts None = new(false, null, null, null, null, []);
}
