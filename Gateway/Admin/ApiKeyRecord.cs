namespace VoiceAnalytics.Gateway.Admin;

/// <summary>A stored API key, without its secret.</summary>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    string Role,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? ReplacedBy,
    DateTimeOffset? GraceUntil)
{
    /// <summary>Why the key does not authenticate at <paramref name="now"/>, or null when it does.</summary>
    public string? RejectionAt(DateTimeOffset now) =>
        RevokedAt is not null ? "API key revoked"
        : ExpiresAt <= now ? "API key expired"
        : GraceUntil <= now ? "API key rotated and its grace period has ended"
        : null;

    /// <summary>True for a live, unrotated key that expires within <paramref name="warning"/> of <paramref name="now"/>: it is due for rotation.</summary>
    public bool ExpiresWithin(TimeSpan warning, DateTimeOffset now) =>
        RejectionAt(now) is null && ReplacedBy is null && ExpiresAt is { } expires && expires - now <= warning;
}
