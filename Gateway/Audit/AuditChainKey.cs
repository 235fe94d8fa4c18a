using System.Security.Cryptography;
using System.Text;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Audit;

/// <summary>
/// The HMAC key of the audit chain and its checkpoints. The database never holds it, so someone who can write to
/// the database can change records but cannot produce hashes that verify. From <c>Audit:ChainKey</c> (base64, at
/// least 32 bytes); without it, derived from the privacy key ring's hash key, which lives outside the database too
/// (and, in development, in the persisted development key file).
/// </summary>
public sealed class AuditChainKey
{
    public const string ConfigurationKey = "Audit:ChainKey";

    private static readonly byte[] DerivationLabel = Encoding.ASCII.GetBytes("VoiceAnalytics audit chain v2");

    public AuditChainKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException($"{ConfigurationKey} must be at least 32 bytes.", nameof(key));
        }
        Key = key.ToArray();
    }

    public byte[] Key { get; }

    public static AuditChainKey Create(AuditOptions options, PiiKeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyRing);
        if (options.ChainKey is { Length: > 0 } configured)
        {
            return new AuditChainKey(Decode(configured));
        }
        // A separate key for a separate purpose: the phone lookup hash and the chain never share one.
        return new AuditChainKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, keyRing.HashKey, 32, salt: [], info: DerivationLabel));
    }

    /// <summary>The configured key's bytes; not base64 is refused with a message that names the setting, never its value.</summary>
    public static byte[] Decode(string configured)
    {
        try
        {
            return Convert.FromBase64String(configured);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{ConfigurationKey} is not valid base64.");
        }
    }
}
