namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The audit chain's settings (configuration section <c>Audit</c>). <c>Audit:ChainKey</c> is read by
/// <see cref="AuditChainKey"/>; <see cref="CheckpointDirectory"/> is where the latest signed checkpoint of each chain
/// is kept outside the database (one file per chain id), so that a database writer who also deletes the checkpoints
/// in the database is still caught.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    public string CheckpointDirectory { get; set; } = "logs/audit-checkpoints";
}
