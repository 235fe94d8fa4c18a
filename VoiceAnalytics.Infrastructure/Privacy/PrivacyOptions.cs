namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Keys that protect personal data at rest (configuration section <c>Privacy</c>). <c>Privacy:Keys:&lt;id&gt;</c>
/// holds base64 AES-256 keys (32 bytes) by id, <c>Privacy:ActiveKeyId</c> the one new values are encrypted with,
/// <c>Privacy:HashKey</c> the base64 HMAC key (at least 32 bytes) of the phone lookup hash. Old keys stay listed
/// after a rotation so that values written under them still decrypt until the re-encryption job has rewritten them.
/// </summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    public string? ActiveKeyId { get; set; }

    public string? HashKey { get; set; }

    /// <summary>
    /// Where a development key ring is generated when no keys are configured. Shared by every service of one
    /// user on one machine, so the gateway can read what the analysis service encrypted.
    /// </summary>
    public string? DevelopmentKeyFile { get; set; }

    /// <summary>How often the background job looks for values still encrypted under a retired key.</summary>
    public TimeSpan ReencryptionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows rewritten per transaction by the re-encryption job.</summary>
    public int ReencryptionBatchSize { get; set; } = 200;

    public static string DefaultDevelopmentKeyFile()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(AppContext.BaseDirectory, ".privacy");
        }
        return Path.Combine(root, "VoiceAnalytics", "privacy-dev-keys.json");
    }
}
