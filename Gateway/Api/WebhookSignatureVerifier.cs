using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// ElevenLabs' HMAC-SHA256 scheme: <c>hex(HMAC(secret, "&lt;t&gt;." + raw body))</c>, checked against every
/// accepted secret so a secret can be rotated without losing events.
/// </summary>
public sealed class WebhookSignatureVerifier(IOptions<WebhookOptions> options, TimeProvider time)
{
    private readonly IReadOnlyList<byte[]> _keys = options.Value.SecretKeys();
    private readonly long _toleranceSeconds = (long)options.Value.Tolerance.TotalSeconds;

    /// <summary>True when <paramref name="timestamp"/> is within the tolerance of now, in the past or the future.</summary>
    public bool IsFresh(long timestamp) =>
        Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) <= _toleranceSeconds;

    /// <summary>True when one of the header's signatures matches one of the secrets over exactly these bytes.</summary>
    public bool IsValid(SignatureHeader header, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[24];
        var prefixLength = Encoding.ASCII.GetBytes($"{header.Timestamp}.", prefix);
        Span<byte> expected = stackalloc byte[32];
        var match = false;
        foreach (var key in _keys)
        {
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            hmac.AppendData(prefix[..prefixLength]);
            hmac.AppendData(body);
            hmac.GetHashAndReset(expected);
            foreach (var candidate in header.Signatures)
            {
                // No early exit: the time taken does not depend on which secret or signature matched.
                match |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }
        return match;
    }
}
