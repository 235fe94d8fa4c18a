using System.Buffers.Text;
using System.Text;
using NSec.Cryptography;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>Hand-built JWS compact tokens: any header, any payload, any signature, to see what the gateway refuses.</summary>
internal static class ForgedTokens
{
    public static string Build(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        var signature = sign(Encoding.ASCII.GetBytes(input));
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static Func<byte[], byte[]> Ed25519(byte[] privateKey) => data =>
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
    };

    public static byte[] PublicKeyOf(byte[] privateKey)
    {
        using var key = Key.Import(SignatureAlgorithm.Ed25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public static string Payload(DateTimeOffset now, string iss = "voiceanalytics-gateway", string aud = "voiceanalytics-admin",
        string role = "auditor", long? nbf = null, long? exp = null) =>
        $$"""{"iss":"{{iss}}","aud":"{{aud}}","sub":"0123456789ab","role":"{{role}}","sid":"ses_x","iat":{{now.ToUnixTimeSeconds()}},"nbf":{{nbf ?? now.ToUnixTimeSeconds()}},"exp":{{exp ?? now.AddHours(24).ToUnixTimeSeconds()}}}""";

    public const string EdDsaHeader = """{"alg":"EdDSA","typ":"JWT","kid":"t1"}""";
}
