using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// ElevenLabs' HMAC-SHA256 scheme: <c>hex(HMAC(secret, "&lt;t&gt;." + raw body))</c>, checked against every
/// accepted secret so a secret can be rotated without losing events.
/// </summary>
public sealed class WebhookSignatureVerifier(IOptions<WebhookOptions> options, TimeProvider time)
{
    private readonly long _toleranceSeconds = (long)options.Value.Tolerance.TotalSeconds;

    // One HMAC context per secret and thread, reset after each use: creating a context per request cost more than
    // hashing a 5 KB body with it, and a context must never be used by two threads at once.
    private readonly ThreadLocal<IncrementalHash[]> _hmacs = new(() =>
        [.. options.Value.SecretKeys().Select(key => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key))]);

    /// <summary>True when <paramref name="timestamp"/> is within the tolerance of now, in the past or the future.</summary>
    public bool IsFresh(long timestamp) =>
        Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) <= _toleranceSeconds;

    /// <summary>True when one of the header's signatures matches one of the secrets over exactly these bytes.</summary>
    public bool IsValid(SignatureHeader header, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(header);
        Span<byte> prefix = stackalloc byte[24];
        if (!header.Timestamp.TryFormat(prefix, out var prefixLength, provider: CultureInfo.InvariantCulture))
        {
            return false;
        }
        prefix[prefixLength++] = (byte)'.';
        Span<byte> expected = stackalloc byte[32];
        var match = false;
        foreach (var hmac in _hmacs.Value!)
        {
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
