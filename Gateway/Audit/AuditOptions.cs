namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The audit chain's settings (configuration section <c>Audit</c>), checked at start. <see cref="ChainKey"/> is the
/// chain's HMAC key (see <see cref="AuditChainKey"/>); <see cref="CheckpointDirectory"/> is where the latest signed checkpoint of each chain
/// is kept outside the database (one file per chain id), so that a database writer who also deletes the checkpoints
/// in the database is still caught.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Base64, at least 32 bytes; unset: derived from the privacy hash key.</summary>
    public string? ChainKey { get; set; }

    public string CheckpointDirectory { get; set; } = "logs/audit-checkpoints";
}
