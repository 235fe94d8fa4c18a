using System.Security.Cryptography;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Random AES-GCM nonces, drawn from the system's cryptographic generator a few hundred at a time and handed out
/// once each by the thread that drew them. GCM needs nonces that never repeat under one key, not secret ones (every
/// envelope carries its nonce in clear), and a 96-bit random value is that whether it was drawn alone or with its
/// neighbours; what drawing them together saves is the generator's fixed cost per call, which for 12 bytes is
/// larger than sealing a few kilobytes.
/// </summary>
internal static class GcmNonces
{
    private const int NoncesPerDraw = 256;

    [ThreadStatic]
    private static byte[]? t_drawn;

    [ThreadStatic]
    private static int t_next;

    /// <summary>Fills <paramref name="nonce"/> (<see cref="PiiEnvelope.NonceSize"/> bytes) with random bytes no other call receives.</summary>
    public static void Fill(Span<byte> nonce)
    {
        if (nonce.Length != PiiEnvelope.NonceSize)
        {
            throw new ArgumentException($"A nonce is {PiiEnvelope.NonceSize} bytes.", nameof(nonce));
        }
        var drawn = t_drawn ??= new byte[PiiEnvelope.NonceSize * NoncesPerDraw];
        if (t_next == 0)
        {
            RandomNumberGenerator.Fill(drawn);
        }
        var used = drawn.AsSpan(t_next * PiiEnvelope.NonceSize, PiiEnvelope.NonceSize);
        used.CopyTo(nonce);
        // Cleared once handed out, so that nothing can hand the same bytes out twice.
        used.Clear();
        t_next = (t_next + 1) % NoncesPerDraw;
    }
}
