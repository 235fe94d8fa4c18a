using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// Warns about every live key nearing its expiry, so it is rotated before its holder is locked out: one warning
/// in the log per key, and the count as the gauge <c>admin.keys.expiring</c> (meter <c>VoiceAnalytics.Gateway.Admin</c>)
/// for an alert rule.
/// </summary>
public sealed partial class KeyExpiryNotifier
{
    public const string MeterName = "VoiceAnalytics.Gateway.Admin";

    private readonly ApiKeyStore _store;
    private readonly IOptions<AdminOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyExpiryNotifier> _logger;
    private int _expiring;

    public KeyExpiryNotifier(ApiKeyStore store, IOptions<AdminOptions> options, TimeProvider time, IMeterFactory meters, ILogger<KeyExpiryNotifier> logger)
    {
        (_store, _options, _time, _logger) = (store, options, time, logger);
        meters.Create(MeterName).CreateObservableGauge("admin.keys.expiring", () => Volatile.Read(ref _expiring), "{key}",
            "Live API keys within the expiry warning window at the last check");
    }

    // Ids and roles only: a key's name is free text and may name a person.
    /// <summary>Logs one warning per key due for rotation; returns how many there were.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = (await _store.ListAsync(cancellationToken)).Where(k => k.ExpiresWithin(_options.Value.KeyExpiryWarning, now)).ToList();
        foreach (var key in due)
        {
            LogExpiring(key.Id, key.Role, key.ExpiresAt!.Value);
        }
        Volatile.Write(ref _expiring, due.Count);
        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "API key {KeyId} (role {Role}) expires at {ExpiresAt:O}: rotate it (POST /api/v1/keys/{KeyId}/rotate)")]
    private partial void LogExpiring(string keyId, string role, DateTimeOffset expiresAt);
}
