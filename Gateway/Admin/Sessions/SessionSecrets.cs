using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Session ids, refresh tokens and CSRF tokens: 256 random bits each (128 for the public session id). High
/// entropy, so a plain SHA-256 is a sufficient stored form.
/// </summary>
public static class SessionSecrets
{
    public static string NewSessionId() => "ses_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewRefreshToken() => "vr_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewCsrfToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool HashEquals(byte[] expected, string? secret) =>
        secret is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(expected, Hash(secret));
}
