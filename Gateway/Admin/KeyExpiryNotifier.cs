using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>Warns in the log about every live key nearing its expiry, so it is rotated before its holder is locked out.</summary>
public sealed partial class KeyExpiryNotifier(ApiKeyStore store, IOptions<AdminOptions> options, TimeProvider time, ILogger<KeyExpiryNotifier> logger)
{
    // Ids and roles only: a key's name is free text and may name a person.
    /// <summary>Logs one warning per key due for rotation; returns how many there were.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = (await store.ListAsync(cancellationToken)).Where(k => k.ExpiresWithin(options.Value.KeyExpiryWarning, now)).ToList();
        foreach (var key in due)
        {
            LogExpiring(key.Id, key.Role, key.ExpiresAt!.Value);
        }
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "API key {KeyId} (role {Role}) expires at {ExpiresAt:O}: rotate it (POST /api/v1/keys/{KeyId}/rotate)")]
    private partial void LogExpiring(string keyId, string role, DateTimeOffset expiresAt);
}
