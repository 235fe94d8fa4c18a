using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.Gateway.Admin;

/// <summary>
/// An API key: <c>va_&lt;id&gt;_&lt;secret&gt;</c>, a public id (12 hex characters, the row to look up) and 256 random
/// bits. High entropy, so a plain SHA-256 is a sufficient stored form (no password stretching needed).
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "va_";

    public static (string Id, string Token) Generate()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        return (id, Prefix + id + "_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
    }

    /// <summary>The id part of a well-formed token, else null.</summary>
    public static string? IdOf(string token)
    {
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length < Prefix.Length + 14 || token[Prefix.Length + 12] != '_')
        {
            return null;
        }
        var id = token.Substring(Prefix.Length, 12);
        return id.All(char.IsAsciiHexDigitLower) ? id : null;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static bool HashEquals(byte[] expected, string token) => CryptographicOperations.FixedTimeEquals(expected, Hash(token));
}
