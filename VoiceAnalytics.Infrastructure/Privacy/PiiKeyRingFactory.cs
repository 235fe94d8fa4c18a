using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Builds the ring from <see cref="PrivacyOptions"/>; with no keys configured, from a development key file that is
/// generated on first use (every service of this user on this machine shares it) with a loud warning, because
/// such keys live next to the data and protect nothing in production.
/// </summary>
public static partial class PiiKeyRingFactory
{
    public static PiiKeyRing Create(PrivacyOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keys.Count > 0)
        {
            var keys = options.Keys.ToDictionary(k => k.Key, k => Decode(k.Value, $"Privacy:Keys:{k.Key}"), StringComparer.Ordinal);
            var active = options.ActiveKeyId ?? (keys.Count == 1 ? keys.Keys.Single() :
                throw new InvalidOperationException("Privacy:ActiveKeyId is required when several Privacy:Keys are configured."));
            if (string.IsNullOrWhiteSpace(options.HashKey))
            {
                throw new InvalidOperationException("Privacy:HashKey (base64, 32 bytes or more) is required when Privacy:Keys are configured.");
            }
            return new PiiKeyRing(keys, active, Decode(options.HashKey, "Privacy:HashKey"));
        }

        var path = options.DevelopmentKeyFile ?? PrivacyOptions.DefaultDevelopmentKeyFile();
        var file = LoadOrCreate(path);
        LogDevelopmentKeys(logger, path);
        return new PiiKeyRing(
            file.Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal),
            file.ActiveKeyId,
            Convert.FromBase64String(file.HashKey));
    }

    private static byte[] Decode(string base64, string name)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{name} is not valid base64.");
        }
    }

    private static DevelopmentKeys LoadOrCreate(string path) =>
        DevelopmentKeyFile.LoadOrCreate(path, () => new DevelopmentKeys(
            "dev-1",
            new Dictionary<string, string> { ["dev-1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "NO PRIVACY KEYS CONFIGURED: personal data is encrypted with DEVELOPMENT keys from {KeyFile}. " +
        "Set Privacy__Keys__<id>, Privacy__ActiveKeyId and Privacy__HashKey (base64) in production.")]
    private static partial void LogDevelopmentKeys(ILogger logger, string keyFile);

    private sealed record DevelopmentKeys(string ActiveKeyId, Dictionary<string, string> Keys, string HashKey);
}
