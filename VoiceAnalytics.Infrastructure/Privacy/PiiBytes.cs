using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Binary values (recordings) encrypted with AES-256-GCM: the ASCII header <c>enc:v1:&lt;keyId&gt;:</c> followed by
/// nonce ‖ ciphertext ‖ tag, so a <c>bytea</c> column grows by 28 bytes and a header, not by base64's third.
/// The key id and version are bound as associated data, as in the text envelope.
/// </summary>
public static class PiiBytes
{
    private static readonly byte[] PrefixBytes = Encoding.ASCII.GetBytes(PiiEnvelope.Prefix);

    public static byte[] ProtectBytes(this PiiProtector protector, ReadOnlySpan<byte> plain)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var keyId = protector.Ring.ActiveKeyId;
        var header = Encoding.ASCII.GetBytes(PiiEnvelope.Prefix + keyId + ":");
        var sealedValue = new byte[header.Length + PiiEnvelope.NonceSize + plain.Length + PiiEnvelope.TagSize];
        header.CopyTo(sealedValue, 0);
        var nonce = sealedValue.AsSpan(header.Length, PiiEnvelope.NonceSize);
        GcmNonces.Fill(nonce);
        var cipher = sealedValue.AsSpan(header.Length + PiiEnvelope.NonceSize, plain.Length);
        var tag = sealedValue.AsSpan(sealedValue.Length - PiiEnvelope.TagSize);
        protector.ActiveCipher.Encrypt(nonce, plain, cipher, tag, header.AsSpan(0, header.Length - 1));
        return sealedValue;
    }

    /// <summary>True when <paramref name="value"/> starts with the envelope header.</summary>
    public static bool IsProtected(ReadOnlySpan<byte> value) => value.StartsWith(PrefixBytes);

    /// <summary>The key id of a protected value; null for plain bytes.</summary>
    public static string? KeyIdOf(ReadOnlySpan<byte> value)
    {
        if (!IsProtected(value))
        {
            return null;
        }
        var colon = value[PrefixBytes.Length..].IndexOf((byte)':');
        return colon <= 0 ? null : Encoding.ASCII.GetString(value.Slice(PrefixBytes.Length, colon));
    }

    /// <summary>
    /// The plain bytes. Bytes without the header are returned unchanged: recordings stored before encryption stay
    /// readable (both forms are read).
    /// </summary>
    /// <exception cref="PiiDecryptionException">Damaged, tampered, or under an unknown key.</exception>
    public static byte[] UnprotectBytes(this PiiProtector protector, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(value);
        if (KeyIdOf(value) is not { } keyId)
        {
            if (IsProtected(value))
            {
                throw new PiiDecryptionException("Encrypted value is malformed.");
            }
            return value;
        }
        if (!PiiKeyRing.IsValidKeyId(keyId) || !protector.TryGetCipher(keyId, out var aes))
        {
            throw new PiiDecryptionException($"Encrypted value uses key '{keyId}', which is not configured.");
        }
        var headerLength = PrefixBytes.Length + keyId.Length + 1;
        if (value.Length < headerLength + PiiEnvelope.NonceSize + PiiEnvelope.TagSize)
        {
            throw new PiiDecryptionException("Encrypted value is malformed.");
        }
        var body = value.AsSpan(headerLength);
        var plain = new byte[body.Length - PiiEnvelope.NonceSize - PiiEnvelope.TagSize];
        try
        {
            aes.Decrypt(body[..PiiEnvelope.NonceSize], body[PiiEnvelope.NonceSize..^PiiEnvelope.TagSize], body[^PiiEnvelope.TagSize..], plain,
                value.AsSpan(0, headerLength - 1));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new PiiDecryptionException($"Encrypted value under key '{keyId}' failed authentication (tampered or wrong key).", ex);
        }
        return plain;
    }

    /// <summary>How many bytes the plain value of <paramref name="value"/> has (its own length when not protected).</summary>
    public static int PlainLength(ReadOnlySpan<byte> value) => KeyIdOf(value) is { } keyId
        ? value.Length - PrefixBytes.Length - keyId.Length - 1 - PiiEnvelope.NonceSize - PiiEnvelope.TagSize
        : value.Length;

    /// <summary>Decrypts under an old key and encrypts under the active one; current and plain values come back unchanged.</summary>
    public static byte[] ReencryptBytes(this PiiProtector protector, byte[] value) =>
        KeyIdOf(value) is { } keyId && !string.Equals(keyId, protector.Ring.ActiveKeyId, StringComparison.Ordinal)
            ? protector.ProtectBytes(protector.UnprotectBytes(value))
            : value;
}
