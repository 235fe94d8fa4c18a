using System.Text;
using System.Text.Json;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// A whole JSON document encrypted as one envelope and stored as a JSON string (<c>"enc:v1:…"</c>), so it still
/// fits a <c>jsonb</c> column: one encryption per document, however many personal values it holds.
/// </summary>
public static class PiiSealedJson
{
    private const string SealedStart = "\"" + PiiEnvelope.Prefix;

    private static readonly byte[] SealedStartUtf8 = Encoding.ASCII.GetBytes(SealedStart);

    /// <summary>The JSON text (a string literal) that holds <paramref name="json"/> encrypted under the active key.</summary>
    public static string SealJson(this PiiProtector protector, string json)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(json);
        return IsSealed(json) ? json : protector.EnvelopeText(json, quoted: true);
    }

    /// <summary>
    /// <see cref="SealJson(PiiProtector, string)"/> of JSON text held as UTF-8 bytes (a request body as received):
    /// the bytes are encrypted as they are, without a decoded copy of the plaintext.
    /// </summary>
    public static string SealJson(this PiiProtector protector, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return utf8Json.StartsWith(SealedStartUtf8) ? Encoding.UTF8.GetString(utf8Json) : protector.EnvelopeText(utf8Json, quoted: true);
    }

    /// <summary>
    /// The original JSON text of a sealed document. A document stored before payload encryption (a JSON object)
    /// is returned as it is: both forms are read.
    /// </summary>
    /// <exception cref="PiiDecryptionException">Damaged, tampered, or under an unknown key.</exception>
    public static string OpenJson(this PiiProtector protector, string stored)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return IsSealed(stored) ? protector.Unprotect(JsonSerializer.Deserialize<string>(stored))! : stored;
    }

    /// <summary>True when <paramref name="json"/> is a sealed document rather than plain JSON.</summary>
    public static bool IsSealed(string? json) => json is not null && json.StartsWith(SealedStart, StringComparison.Ordinal);
}
