namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// How far the chain <see cref="ChainId"/> verified at <see cref="CreatedAt"/>: its last record (id, hash, time), the anchor and the
/// legacy boundary then, signed with the chain key (<see cref="Mac"/>), so a later verification can start here
/// and notice records removed or rewritten below it.
/// </summary>
public sealed record AuditCheckpoint(
    Guid ChainId, DateTimeOffset CreatedAt, long LastId, string LastHash, DateTimeOffset? LastAt, long AnchorId, long LegacyLastId, string Mac);
