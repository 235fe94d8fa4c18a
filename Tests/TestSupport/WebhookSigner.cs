using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace VoiceAnalytics.TestSupport;

/// <summary>
/// Signs webhooks as ElevenLabs does: <c>ElevenLabs-Signature: t=&lt;unix&gt;,v0=&lt;hex HMAC-SHA256(secret,
/// "&lt;t&gt;." + body)&gt;</c>. For any test that needs to post to the gateway.
/// </summary>
public sealed class WebhookSigner(string secret)
{
    public const string HeaderName = "ElevenLabs-Signature";

    /// <summary>The path the gateway receives ElevenLabs webhooks on.</summary>
    public const string Path = "/webhooks/elevenlabs";

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="timestamp"/> (unix seconds).</summary>
    public string Sign(ReadOnlySpan<byte> body, long timestamp)
    {
        var prefix = Encoding.ASCII.GetBytes($"{timestamp}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return $"t={timestamp},v0={Convert.ToHexStringLower(hmac.GetHashAndReset())}";
    }

    /// <summary>The header value for <paramref name="body"/> signed now (or at <paramref name="at"/>).</summary>
    public string Sign(ReadOnlySpan<byte> body, DateTimeOffset? at = null) =>
        Sign(body, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());

    /// <summary>A signed <c>POST /webhooks/elevenlabs</c> with an <c>application/json</c> body.</summary>
    public HttpRequestMessage CreateRequest(byte[] body, DateTimeOffset? at = null, string path = Path) =>
        CreateRequest(body, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), path);

    /// <summary>A signed <c>POST</c> with the signature timestamp given in unix seconds.</summary>
    public HttpRequestMessage CreateRequest(byte[] body, long timestamp, string path = Path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(HeaderName, Sign(body, timestamp));
        return request;
    }
}
