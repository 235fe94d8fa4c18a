using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Admin.Sessions;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Unit.Admin.Sessions;

/// <summary>The access-token verifier on its own: every token it must refuse, and the reason it gives.</summary>
public sealed class AccessTokenRefusalTests : IDisposable
{
    private static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly SigningKeyRing _ring = new(new Dictionary<string, byte[]> { ["t1"] = Key1 }, "t1");

    private AccessTokenCodec Codec(SigningKeyRing? ring = null) => new(ring ?? _ring, Options.Create(new SessionOptions()), _clock);

    private string Refusal(string token) => Codec().Validate(token) is { Claims: null, Failure: { } failure } ? failure : "accepted";

    [Fact]
    public void AnIssuedTokenVerifiesAndCarriesTheKeyTheRoleAndTheSession()
    {
        var token = Codec().Issue("0123456789ab", "operator", "ses_1", out var expires);

        var claims = Codec().Validate(token).Claims;

        Assert.NotNull(claims);
        Assert.Equal(("0123456789ab", "operator", "ses_1"), (claims.Subject, claims.Role, claims.SessionId));
        Assert.Equal(_clock.GetUtcNow().AddHours(24), expires);
        var header = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Equal("""{"alg":"EdDSA","typ":"JWT","kid":"t1"}""", header);
    }

    [Fact]
    public void AnExpiredTokenIsRefused()
    {
        var token = Codec().Issue("0123456789ab", "operator", "ses_1", out _);
        _clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));

        Assert.Equal("token expired", Refusal(token));
    }

    [Fact]
    public void ATokenNotValidYetIsRefused()
    {
        var now = _clock.GetUtcNow();
        var token = ForgedTokens.Build(ForgedTokens.EdDsaHeader, ForgedTokens.Payload(now, nbf: now.AddMinutes(10).ToUnixTimeSeconds()), ForgedTokens.Ed25519(Key1));

        Assert.Equal("token not valid yet", Refusal(token));
    }

    [Fact]
    public void ATokenForAnotherAudienceIsRefused()
    {
        var token = ForgedTokens.Build(ForgedTokens.EdDsaHeader, ForgedTokens.Payload(_clock.GetUtcNow(), aud: "some-other-api"), ForgedTokens.Ed25519(Key1));

        Assert.Equal("token audience is not the admin API", Refusal(token));
    }

    [Fact]
    public void ATokenFromAnotherIssuerIsRefused()
    {
        var token = ForgedTokens.Build(ForgedTokens.EdDsaHeader, ForgedTokens.Payload(_clock.GetUtcNow(), iss: "someone-else"), ForgedTokens.Ed25519(Key1));

        Assert.Equal("token issuer is not this gateway", Refusal(token));
    }

    [Fact]
    public void ATokenWhosePayloadWasTamperedWithIsRefused()
    {
        var parts = Codec().Issue("0123456789ab", "auditor", "ses_1", out _).Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"auditor\"", "\"admin\"", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Equal("token signature does not verify", Refusal(tampered));
    }

    [Fact]
    public void ATokenSignedByAnUnknownKeyIsRefused()
    {
        var payload = ForgedTokens.Payload(_clock.GetUtcNow());
        var unknownKid = ForgedTokens.Build("""{"alg":"EdDSA","typ":"JWT","kid":"t9"}""", payload, ForgedTokens.Ed25519(Key2));
        var ourKidTheirKey = ForgedTokens.Build(ForgedTokens.EdDsaHeader, payload, ForgedTokens.Ed25519(Key2));

        Assert.Equal("token signed by an unknown key", Refusal(unknownKid));
        Assert.Equal("token signature does not verify", Refusal(ourKidTheirKey));
    }

    [Fact]
    public void ATokenWithAlgNoneIsRefused()
    {
        var payload = ForgedTokens.Payload(_clock.GetUtcNow());
        var unsigned = ForgedTokens.Build("""{"alg":"none","typ":"JWT","kid":"t1"}""", payload, _ => []);
        var withJunkSignature = ForgedTokens.Build("""{"alg":"none","typ":"JWT","kid":"t1"}""", payload, _ => [1, 2, 3]);
        var noAlgAtAll = ForgedTokens.Build("""{"typ":"JWT","kid":"t1"}""", payload, ForgedTokens.Ed25519(Key1));

        Assert.NotEqual("accepted", Refusal(unsigned));
        Assert.Equal("token algorithm must be EdDSA", Refusal(withJunkSignature));
        Assert.Equal("token algorithm must be EdDSA", Refusal(noAlgAtAll));
    }

    [Fact]
    public void ATokenSwitchedToHs256WithThePublicKeyAsTheHmacSecretIsRefused()
    {
        var payload = ForgedTokens.Payload(_clock.GetUtcNow(), role: "admin");
        var publicKey = ForgedTokens.PublicKeyOf(Key1);
        var jwkX = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(publicKey));
        foreach (var secret in new[] { publicKey, jwkX })
        {
            var token = ForgedTokens.Build("""{"alg":"HS256","typ":"JWT","kid":"t1"}""", payload, data => HMACSHA256.HashData(secret, data));

            Assert.Equal("token algorithm must be EdDSA", Refusal(token));
        }
    }

    [Fact]
    public void AHeaderThatNamesItsAlgorithmTwiceIsRefused()
    {
        var token = ForgedTokens.Build("""{"alg":"EdDSA","alg":"none","typ":"JWT","kid":"t1"}""", ForgedTokens.Payload(_clock.GetUtcNow()), ForgedTokens.Ed25519(Key1));

        Assert.Equal("malformed token header", Refusal(token));
    }

    [Fact]
    public void ATokenRespeltWithWhitespacePaddingOrOtherTrailingBitsIsRefused()
    {
        var token = Codec().Issue("0123456789ab", "operator", "ses_1", out _);
        var parts = token.Split('.');
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

        Assert.Equal("accepted", Refusal(token));
        Assert.Equal("malformed token", Refusal(parts[0] + "." + parts[1] + "." + parts[2][..10] + " " + parts[2][10..]));
        Assert.Equal("malformed token", Refusal(token + "=="));
        // Every other last character: the ones that differ only in the unused trailing bits decode to the same signature.
        foreach (var other in Alphabet.Where(c => c != parts[2][^1]))
        {
            Assert.NotEqual("accepted", Refusal(parts[0] + "." + parts[1] + "." + parts[2][..^1] + other));
        }
    }

    [Fact]
    public void ATokenSignedByThePreviousKeyVerifiesWhileThatKeyIsStillConfigured()
    {
        var token = Codec().Issue("0123456789ab", "operator", "ses_1", out _);
        using var rotated = new SigningKeyRing(new Dictionary<string, byte[]> { ["t1"] = Key1, ["t2"] = Key2 }, "t2");
        using var retired = new SigningKeyRing(new Dictionary<string, byte[]> { ["t2"] = Key2 }, "t2");

        Assert.NotNull(Codec(rotated).Validate(token).Claims);
        Assert.Contains("\"kid\":\"t2\"", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(Codec(rotated).Issue("a", "admin", "s", out _).Split('.')[0])), StringComparison.Ordinal);
        Assert.Equal("token signed by an unknown key", Codec(retired).Validate(token).Failure);
    }

    public void Dispose() => _ring.Dispose();
}
