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

    public static AuditChainKey Create(IConfiguration configuration, PiiKeyRing keyRing)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keyRing);
        if (configuration[ConfigurationKey] is { Length: > 0 } configured)
        {
            try
            {
                return new AuditChainKey(Convert.FromBase64String(configured));
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{ConfigurationKey} is not valid base64.");
            }
        }
        // A separate key for a separate purpose: the phone lookup hash and the chain never share one.
        return new AuditChainKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, keyRing.HashKey, 32, salt: [], info: DerivationLabel));
    }
}
