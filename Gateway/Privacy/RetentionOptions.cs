using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// How long each class of data is kept (configuration section <c>Retention</c>, in days). The defaults: transcripts
/// and analyses a year, recordings 30 days, the audit trail 7 years (immutable for that long).
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Webhook events (transcripts) with their analyses, CRM export records, jobs and Markdown sections.</summary>
    [Range(1, 36_500)]
    public int TranscriptDays { get; set; } = 365;

    [Range(1, 36_500)]
    public int RecordingDays { get; set; } = 30;

    /// <summary>At least a year: the database refuses to purge audit records younger than that.</summary>
    [Range(365, 36_500)]
    public int AuditDays { get; set; } = 7 * 365 + 2;

    /// <summary>Days a webhook's source address is kept in clear (abuse handling) before it is replaced by its keyed hash.</summary>
    [Range(1, 36_500)]
    public int SourceAddressDays { get; set; } = 7;

    /// <summary>Pause between purge runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public bool Enabled { get; set; } = true;
}
