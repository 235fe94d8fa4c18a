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

    // One HMAC context per thread, reset after each use: every stored event's id is hashed, and setting up a context
    // costs more than hashing a short id with it. A context must never be used by two threads at once.
    private readonly ThreadLocal<IncrementalHash> _hmacs = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256,
        HKDF.DeriveKey(HashAlgorithmName.SHA256, keyRing.HashKey, 32, salt: [], info: DerivationLabel)));

    public string HashOf(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var hmac = _hmacs.Value!;
        hmac.AppendData(Encoding.UTF8.GetBytes(conversationId));
        Span<byte> hash = stackalloc byte[32];
        hmac.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }
}
