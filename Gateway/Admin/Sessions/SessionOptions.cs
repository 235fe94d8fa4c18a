namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Operator sessions (configuration section <c>Auth</c>): the Ed25519 signing keys by key id (base64 of the 32-byte
/// private key), which one signs, the token lifetimes and the issuer/audience every access token must name.
/// Every configured key verifies; keep a retired key configured for at least one access-token lifetime after the
/// active key changes, so tokens it signed stay valid until they expire.
/// </summary>
public sealed class SessionOptions
{
    public const string Section = "Auth";

    public Dictionary<string, string> SigningKeys { get; set; } = new(StringComparer.Ordinal);

    public string? ActiveSigningKeyId { get; set; }

    /// <summary>Where the generated development key pair lives when no signing key is configured.</summary>
    public string? DevelopmentKeyFile { get; set; }

    public string Issuer { get; set; } = "voiceanalytics-gateway";

    public string Audience { get; set; } = "voiceanalytics-admin";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Tolerated difference between clocks when checking exp, nbf and iat.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);
}
