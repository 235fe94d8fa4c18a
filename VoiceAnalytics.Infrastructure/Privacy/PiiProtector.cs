using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Encrypts personal data (names, phones, transcripts) with AES-256-GCM under the ring's active key, decrypts it
/// under whichever key id its envelope names, and computes the keyed lookup hash of a phone number. Safe to share
/// between threads: each thread encrypts with its own cipher instances.
/// </summary>
public sealed class PiiProtector(PiiKeyRing ring)
{
    private readonly AesGcmPerThread _ciphers = new(ring);
    private readonly byte[] _activeAssociatedData = Encoding.ASCII.GetBytes(PiiEnvelope.Prefix + ring.ActiveKeyId);

    public PiiKeyRing Ring { get; } = ring;

    /// <summary>The envelope text of <paramref name="plaintext"/> under the active key (a fresh random nonce each time).</summary>
    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EnvelopeText(plaintext, quoted: false);
    }

    /// <summary><see cref="EnvelopeText(ReadOnlySpan{byte}, bool)"/> of the UTF-8 bytes of <paramref name="plaintext"/>.</summary>
    internal string EnvelopeText(string plaintext, bool quoted)
    {
        // The UTF-8 copy is the plaintext: it stays in a pooled buffer, cleared before the buffer goes back.
        var length = Encoding.UTF8.GetByteCount(plaintext);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encoding.UTF8.GetBytes(plaintext, rented);
            return EnvelopeText(rented.AsSpan(0, length), quoted);
        }
        finally
        {
            rented.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plain"/> under the active key and writes its envelope, in quotes when
    /// <paramref name="quoted"/> (a JSON string: the envelope's characters need no escaping), as one string: the
    /// ciphertext lives only in a pooled buffer on the way.
    /// </summary>
    internal string EnvelopeText(ReadOnlySpan<byte> plain, bool quoted)
    {
        var keyId = Ring.ActiveKeyId;
        var sealedLength = PiiEnvelope.NonceSize + plain.Length + PiiEnvelope.TagSize;
        var rented = ArrayPool<byte>.Shared.Rent(sealedLength);
        try
        {
            var sealedBytes = rented.AsSpan(0, sealedLength);
            var nonce = sealedBytes[..PiiEnvelope.NonceSize];
            GcmNonces.Fill(nonce);
            _ciphers.Active.Encrypt(nonce, plain, sealedBytes.Slice(PiiEnvelope.NonceSize, plain.Length), sealedBytes[^PiiEnvelope.TagSize..],
                _activeAssociatedData);
            var quotes = quoted ? 2 : 0;
            var length = quotes + PiiEnvelope.Prefix.Length + keyId.Length + 1 + Base64Url.GetEncodedLength(sealedLength);
            return string.Create(length, (rented, sealedLength, keyId, quoted), static (text, state) =>
            {
                var (bytes, count, id, inQuotes) = state;
                if (inQuotes)
                {
                    text[0] = '"';
                    text[^1] = '"';
                    text = text[1..^1];
                }
                PiiEnvelope.Prefix.CopyTo(text);
                id.CopyTo(text[PiiEnvelope.Prefix.Length..]);
                text[PiiEnvelope.Prefix.Length + id.Length] = ':';
                Base64Url.EncodeToChars(bytes.AsSpan(0, count), text[(PiiEnvelope.Prefix.Length + id.Length + 1)..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The calling thread's cipher for the active key (see <see cref="AesGcmPerThread"/>).</summary>
    internal AesGcm ActiveCipher => _ciphers.Active;

    /// <summary>The calling thread's cipher for <paramref name="keyId"/>; false when the ring has no such key.</summary>
    internal bool TryGetCipher(string keyId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AesGcm? aes) => _ciphers.TryGet(keyId, out aes);

    /// <summary><see cref="Protect"/> that passes null and empty through (nothing to hide).</summary>
    public string? ProtectOrNull(string? plaintext) => string.IsNullOrEmpty(plaintext) ? plaintext : Protect(plaintext);

    /// <summary>
    /// The plaintext of an envelope. A value that is not an envelope is returned unchanged: rows written before
    /// encryption was switched on stay readable until the re-encryption job has rewritten them.
    /// </summary>
    /// <exception cref="PiiDecryptionException">Damaged, tampered, or under an unknown key.</exception>
    public string? Unprotect(string? value)
    {
        if (!PiiEnvelope.IsEnvelope(value))
        {
            return value;
        }
        if (!PiiEnvelope.TryParse(value, out var parsed))
        {
            throw new PiiDecryptionException("Encrypted value is malformed.");
        }
        var envelope = parsed.Value;
        if (!_ciphers.TryGet(envelope.KeyId, out var aes))
        {
            throw new PiiDecryptionException($"Encrypted value uses key '{envelope.KeyId}', which is not configured.");
        }
        var plain = new byte[envelope.Ciphertext.Length];
        try
        {
            aes.Decrypt(envelope.Nonce, envelope.Ciphertext, envelope.Tag, plain, envelope.AssociatedData());
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new PiiDecryptionException($"Encrypted value under key '{envelope.KeyId}' failed authentication (tampered or wrong key).", ex);
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>True when the value is an envelope under a key other than the active one (or plain text that should be encrypted).</summary>
    public bool NeedsReencryption(string? value) =>
        PiiEnvelope.KeyIdOf(value) is { } keyId && !string.Equals(keyId, Ring.ActiveKeyId, StringComparison.Ordinal);

    /// <summary>Decrypts under the old key and encrypts under the active one; plain text and current values are returned unchanged.</summary>
    public string? Reencrypt(string? value) => NeedsReencryption(value) ? Protect(Unprotect(value)!) : value;

    /// <summary>
    /// Lowercase hex HMAC-SHA256 of the normalised phone digits (<see cref="PhoneNumbers.NormalizeDigits"/>) under the
    /// ring's hash key: equal for every spelling of one number, useless without the key. Null when not a phone number.
    /// </summary>
    public string? PhoneLookupHash(string? phone)
    {
        var digits = PhoneNumbers.NormalizeDigits(phone);
        return digits is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(Ring.HashKey, Encoding.ASCII.GetBytes(digits)));
    }
}
