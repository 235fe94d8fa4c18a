using System.Security.Cryptography;
using System.Text;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// The keyed hash that names an erased conversation in <c>ingest.erased_conversations</c>: HMAC-SHA256 of its id
/// under a key derived from the privacy hash key. The table proves nothing about which conversations existed to
/// someone without the key, and the ingest path can still ask "was this one erased?".
/// </summary>
public sealed class ErasureTombstones(PiiKeyRing keyRing)
{
    private static readonly byte[] DerivationLabel = Encoding.ASCII.GetBytes("VoiceAnalytics erased conversations v1");

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, keyRing.HashKey, 32, salt: [], info: DerivationLabel);

    public string HashOf(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(conversationId)));
    }
}
