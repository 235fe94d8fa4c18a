using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary>
/// Issues and verifies access tokens: JWS compact serialisation signed with EdDSA (Ed25519). Verification is
/// strict: the header must say exactly <c>alg: EdDSA</c> before anything else is looked at (so <c>none</c> or an
/// HMAC algorithm keyed with the public key can never be accepted), the key id must be one of ours, the signature
/// must verify, and only then are the issuer, audience, validity window and claims read.
/// </summary>
public sealed class AccessTokenCodec(SigningKeyRing keys, IOptions<SessionOptions> options, TimeProvider time)
{
    public const string Algorithm = "EdDSA";

    // Far above any token this service issues; a cap keeps decoding bounded for whatever a caller sends.
    private const int MaxTokenLength = 4096;

    public string Issue(string subject, string role, string sessionId, out DateTimeOffset expiresAt)
    {
        var settings = options.Value;
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + settings.AccessTokenLifetime;
        expiresAt = expires;
        var header = Json(w =>
        {
            w.WriteString("alg", Algorithm);
            w.WriteString("typ", "JWT");
            w.WriteString("kid", keys.ActiveKeyId);
        });
        var payload = Json(w =>
        {
            w.WriteString("iss", settings.Issuer);
            w.WriteString("aud", settings.Audience);
            w.WriteString("sub", subject);
            w.WriteString("role", role);
            w.WriteString("sid", sessionId);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("nbf", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
        });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        return signingInput + "." + Base64Url.EncodeToString(keys.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public AccessTokenValidation Validate(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Length <= MaxTokenLength ? token.Split('.') : [];
        if (parts.Length != 3 || Decode(parts[0]) is not { } headerBytes || Decode(parts[1]) is not { } payloadBytes
            || Decode(parts[2]) is not { } signature)
        {
            return AccessTokenValidation.Refused("malformed token");
        }
        if (Parse(headerBytes) is not { } header)
        {
            return AccessTokenValidation.Refused("malformed token header");
        }
        if (!header.TryGetValue("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != Algorithm)
        {
            return AccessTokenValidation.Refused("token algorithm must be EdDSA");
        }
        if (header.TryGetValue("typ", out var typ) && (typ.ValueKind != JsonValueKind.String || typ.GetString() != "JWT"))
        {
            return AccessTokenValidation.Refused("token type must be JWT");
        }
        if (header.Keys.Any(k => k is not ("alg" or "typ" or "kid")))
        {
            return AccessTokenValidation.Refused("unsupported token header parameter");
        }
        if (!header.TryGetValue("kid", out var kid) || kid.ValueKind != JsonValueKind.String || !keys.Knows(kid.GetString()!))
        {
            return AccessTokenValidation.Refused("token signed by an unknown key");
        }
        var signingInput = Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString());
        if (!keys.Verify(kid.GetString()!, signingInput, signature))
        {
            return AccessTokenValidation.Refused("token signature does not verify");
        }
        return ValidateClaims(payloadBytes);
    }

    private AccessTokenValidation ValidateClaims(byte[] payloadBytes)
    {
        var settings = options.Value;
        if (Parse(payloadBytes) is not { } claims || Text(claims, "iss") is not { } iss || Text(claims, "aud") is not { } aud
            || Text(claims, "sub") is not { } sub || Text(claims, "role") is not { } role || Text(claims, "sid") is not { } sid
            || Seconds(claims, "iat") is not { } iat || Seconds(claims, "nbf") is not { } nbf || Seconds(claims, "exp") is not { } exp)
        {
            return AccessTokenValidation.Refused("token claims are incomplete");
        }
        if (iss != settings.Issuer)
        {
            return AccessTokenValidation.Refused("token issuer is not this gateway");
        }
        if (aud != settings.Audience)
        {
            return AccessTokenValidation.Refused("token audience is not the admin API");
        }
        var now = time.GetUtcNow();
        if (exp + settings.ClockSkew <= now)
        {
            return AccessTokenValidation.Refused("token expired");
        }
        if (nbf - settings.ClockSkew > now || iat - settings.ClockSkew > now)
        {
            return AccessTokenValidation.Refused("token not valid yet");
        }
        if (!AdminRoles.IsValid(role))
        {
            return AccessTokenValidation.Refused("token role is unknown");
        }
        return new AccessTokenValidation(new AccessTokenClaims(sub, role, sid, iat, nbf, exp), null);
    }

    // Only the base64url alphabet, no padding or whitespace (which a lenient decoder skips): one token, one spelling.
    private static byte[]? Decode(string part)
    {
        if (part.Length == 0 || part.Length % 4 == 1 || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }
        try
        {
            var decoded = Base64Url.DecodeFromChars(part);
            return Base64Url.EncodeToString(decoded) == part ? decoded : null;
        }
        catch (FormatException)
        {
            // Stray bits in the last character: the decoder throws (even its Try form), and a refusal must never be a 500.
            return null;
        }
    }

    // A JSON object whose members are unique: with duplicates, which "alg" or "exp" counts would depend on the parser.
    private static Dictionary<string, JsonElement>? Parse(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!members.TryAdd(property.Name, property.Value.Clone()))
                {
                    return null;
                }
            }
            return members;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(Dictionary<string, JsonElement> claims, string name) =>
        claims.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Seconds(Dictionary<string, JsonElement> claims, string name) =>
        claims.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
        && seconds is >= 0 and < 253402300800 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
