namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// A checkpoint whose signature does not hold under the chain key (written by someone without the key), or that
/// names another chain than the database's (the chain id was changed).
/// </summary>
public sealed class AuditCheckpointForgedException(long lastId)
    : Exception($"The audit checkpoint at record {lastId} is not signed with the chain key for this chain.")
{
    public long LastId { get; } = lastId;
}
