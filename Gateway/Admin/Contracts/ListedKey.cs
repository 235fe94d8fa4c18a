namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A stored key as <c>GET /keys</c> lists it: <see cref="ExpiresSoon"/> when it is live and near its expiry, so due for rotation.</summary>
public sealed record ListedKey(
    string Id,
    string Name,
    string Role,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? ReplacedBy,
    DateTimeOffset? GraceUntil,
    bool ExpiresSoon)
{
    public static ListedKey From(ApiKeyRecord key, bool expiresSoon)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, key.Role, key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.RevokedAt, key.ReplacedBy, key.GraceUntil, expiresSoon);
    }
}
