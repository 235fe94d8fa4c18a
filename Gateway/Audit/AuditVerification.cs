namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The result of walking the chain: valid, or the first record that does not verify and why. Records after a
/// broken one are not judged (their links may be intact, but the chain they hang from is not).
/// <see cref="VerifiedFromId"/> is where this walk started: the record after the last signed checkpoint, whose
/// predecessors were verified by earlier walks.
/// </summary>
public sealed record AuditVerification(bool Valid, long RecordsChecked, long? FirstBrokenId, string? Reason, long? LastId, long? VerifiedFromId = null);
