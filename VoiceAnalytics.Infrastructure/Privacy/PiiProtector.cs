using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// Encrypts personal data (names, phones, transcripts) with AES-256-GCM under the ring's active key, decrypts it
/// under whichever key id its envelope names, and computes the keyed lookup hash of a phone number.
/// </summary>
public sealed class PiiProtector(PiiKeyRing ring)
{
    public PiiKeyRing Ring { get; } = ring;

    /// <summary>The envelope text of <paramref name="plaintext"/> under the active key (a fresh random nonce each time).</summary>
    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var keyId = Ring.ActiveKeyId;
        var data = Encoding.UTF8.GetBytes(plaintext);
        var envelope = new PiiEnvelope(keyId, RandomNumberGenerator.GetBytes(PiiEnvelope.NonceSize), new byte[data.Length], new byte[PiiEnvelope.TagSize]);
        using var aes = new AesGcm(Ring.ActiveKey, PiiEnvelope.TagSize);
        aes.Encrypt(envelope.Nonce, data, envelope.Ciphertext, envelope.Tag, envelope.AssociatedData());
        return envelope.ToString();
    }

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
        if (!Ring.TryGetKey(envelope.KeyId, out var key))
        {
            throw new PiiDecryptionException($"Encrypted value uses key '{envelope.KeyId}', which is not configured.");
        }
        var plain = new byte[envelope.Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, PiiEnvelope.TagSize);
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
