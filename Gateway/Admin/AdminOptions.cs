using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// The admin API's settings. The bootstrap key (configuration <c>Admin:BootstrapKey</c> or env
/// <c>ADMIN_BOOTSTRAP_KEY</c>) is an admin key that exists before any key is created; use it to create real
/// keys, then remove it from configuration.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>Shortest bootstrap key accepted: it is an admin key, and guessable keys are refused at start.</summary>
    public const int MinimumBootstrapKeyLength = 32;

    public const string Section = "Admin";

    /// <summary>The flat environment name deployments set, and the key it sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } = [new("ADMIN_BOOTSTRAP_KEY", "Admin:BootstrapKey")];

    public const string BootstrapKeyTooShort =
        "ADMIN_BOOTSTRAP_KEY (Admin:BootstrapKey) must be at least 32 characters; generate one with `openssl rand -base64 32`.";

    public string? BootstrapKey { get; set; }

    /// <summary>Admin API requests a minute per presented key (valid or not); 0 turns the limit off.</summary>
    public int RateLimitPerKeyPerMinute { get; set; } = 300;

    /// <summary>Admin API requests a minute per source address, whatever the key; 0 turns the limit off.</summary>
    public int RateLimitPerSourcePerMinute { get; set; } = 600;

    /// <summary>Identical denials (same key, method and path) within this period make one audit record, with a count.</summary>
    public TimeSpan DenialAggregationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a rotated key keeps working beside its replacement unless the request says otherwise.</summary>
    public TimeSpan DefaultRotationGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Lifetime of a key created without <c>expiresInDays</c>; zero: such keys never expire.</summary>
    public TimeSpan DefaultKeyLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>A live key this close to its expiry is flagged in <c>GET /keys</c> and in a warning log.</summary>
    public TimeSpan KeyExpiryWarning { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the log is told about keys nearing expiry.</summary>
    public TimeSpan KeyExpiryCheckInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>True when no bootstrap key is set, or it is long enough.</summary>
    public bool HasValidBootstrapKey() => string.IsNullOrWhiteSpace(BootstrapKey) || BootstrapKey.Length >= MinimumBootstrapKeyLength;
}
