namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>One owner's part of an erasure: its counts once it has reported; its attempts and last error (a status name) until then.</summary>
public sealed record OwnerErasureReport(string Owner, IReadOnlyDictionary<string, long>? Removed, DateTimeOffset? ReportedAt, int Attempts, string? LastError)
{
    public bool HasReported => ReportedAt is not null;
}
