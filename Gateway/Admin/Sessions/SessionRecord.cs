namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>A stored session and the API key it was signed in with (read together, so a revoked key ends its sessions).</summary>
public sealed record SessionRecord(string Id, string Role, byte[] CsrfHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, ApiKeyRecord Key)
{
    /// <summary>Why the session does not authenticate at <paramref name="now"/>, or null when it does.</summary>
    public string? RejectionAt(DateTimeOffset now) =>
        RevokedAt is not null ? "session revoked" : Key.RejectionAt(now) is { } keyRejection ? $"session ended: {keyRejection}" : null;
}
