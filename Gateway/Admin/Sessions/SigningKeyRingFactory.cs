using System.Security.Cryptography;
using NSec.Cryptography;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Builds the signing key ring from <see cref="SessionOptions"/>; with no key configured, from a development key
/// file generated on first use (owner-only) with a loud warning, because a key next to the service signs nothing
/// a production operator should trust.
/// </summary>
public static partial class SigningKeyRingFactory
{
    public static SigningKeyRing Create(SessionOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SigningKeys.Count > 0)
        {
            var keys = options.SigningKeys.ToDictionary(k => k.Key, k => Decode(k.Value, k.Key), StringComparer.Ordinal);
            var active = options.ActiveSigningKeyId ?? (keys.Count == 1 ? keys.Keys.Single() :
                throw new InvalidOperationException("Auth:ActiveSigningKeyId is required when several Auth:SigningKeys are configured."));
            return new SigningKeyRing(keys, active);
        }
        var path = options.DevelopmentKeyFile ?? DefaultDevelopmentKeyFile();
        var file = LoadOrCreate(path);
        LogDevelopmentKey(logger, path);
        return new SigningKeyRing(new Dictionary<string, byte[]> { [file.KeyId] = Convert.FromBase64String(file.PrivateKey) }, file.KeyId);
    }

    public static string DefaultDevelopmentKeyFile()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(root) ? Path.Combine(AppContext.BaseDirectory, ".auth") : root, "VoiceAnalytics", "auth-dev-signing-key.json");
    }

    private static byte[] Decode(string base64, string keyId)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Auth:SigningKeys:{keyId} is not valid base64.");
        }
    }

    private static DevelopmentKey LoadOrCreate(string path) =>
        DevelopmentKeyFile.LoadOrCreate(path, () =>
        {
            using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            return new DevelopmentKey("dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
                Convert.ToBase64String(key.Export(KeyBlobFormat.RawPrivateKey)));
        });

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "NO SESSION SIGNING KEY CONFIGURED: access tokens are signed with a DEVELOPMENT key from {KeyFile}. " +
        "Set Auth__SigningKeys__<kid> (base64 Ed25519 private key) and Auth__ActiveSigningKeyId in production.")]
    private static partial void LogDevelopmentKey(ILogger logger, string keyFile);

    private sealed record DevelopmentKey(string KeyId, string PrivateKey);
}
