using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// The text form of an encrypted value: <c>enc:v1:&lt;keyId&gt;:&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;</c>
/// (12-byte nonce, 16-byte GCM tag). Text, so it fits a <c>text</c> column or a JSON string unchanged; the key
/// id travels with the value so any key of the ring can decrypt it.
/// </summary>
public readonly record struct PiiEnvelope(string KeyId, byte[] Nonce, byte[] Ciphertext, byte[] Tag)
{
    public const string Prefix = "enc:v1:";
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>What the key id and version are bound to as GCM associated data: swapping either breaks the tag.</summary>
    public byte[] AssociatedData() => System.Text.Encoding.ASCII.GetBytes(Prefix + KeyId);

    public override string ToString()
    {
        var body = new byte[NonceSize + Ciphertext.Length + TagSize];
        Nonce.CopyTo(body, 0);
        Ciphertext.CopyTo(body, NonceSize);
        Tag.CopyTo(body, NonceSize + Ciphertext.Length);
        return Prefix + KeyId + ":" + Base64Url.EncodeToString(body);
    }

    /// <summary>True when <paramref name="value"/> looks like an envelope (it may still fail to decrypt).</summary>
    public static bool IsEnvelope(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses the envelope's parts; false for plain text or a damaged envelope.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out PiiEnvelope? envelope)
    {
        envelope = null;
        if (!IsEnvelope(value))
        {
            return false;
        }
        var rest = value!.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var keyId = rest[..colon].ToString();
        byte[] body;
        try
        {
            body = Base64Url.DecodeFromChars(rest[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (!PiiKeyRing.IsValidKeyId(keyId) || body.Length < NonceSize + TagSize)
        {
            return false;
        }
        envelope = new PiiEnvelope(keyId, body[..NonceSize], body[NonceSize..^TagSize], body[^TagSize..]);
        return true;
    }

    /// <summary>The key id of an envelope without decoding its body; null for plain text.</summary>
    public static string? KeyIdOf(string? value)
    {
        if (!IsEnvelope(value))
        {
            return null;
        }
        var colon = value!.IndexOf(':', Prefix.Length);
        return colon < 0 ? null : value[Prefix.Length..colon];
    }
}
