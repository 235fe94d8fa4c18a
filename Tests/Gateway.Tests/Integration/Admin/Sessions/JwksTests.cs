using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Integration.Admin.Sessions;

public sealed class JwksTests
{
    [Fact]
    public async Task TheJwksDocumentPublishesEveryVerifyingKeyAndTheActiveOneVerifiesIssuedTokens()
    {
        var previous = RandomNumberGenerator.GetBytes(32);
        await using var host = await AdminHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:SigningKeys:t0"] = Convert.ToBase64String(previous),
            ["Auth:ActiveSigningKeyId"] = "t1",
        });
        var grant = await host.SignInAsync((await host.CreateKeyAsync("auditor")).Secret);

        var keys = (await host.Client.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json"))!["keys"]!.AsArray();

        Assert.Equal(["t0", "t1"], keys.Select(k => k!["kid"]!.GetValue<string>()).Order());
        Assert.All(keys, k => Assert.Equal(("OKP", "Ed25519", "EdDSA", "sig"),
            (k!["kty"]!.GetValue<string>(), k["crv"]!.GetValue<string>(), k["alg"]!.GetValue<string>(), k["use"]!.GetValue<string>())));
        Assert.DoesNotContain(keys, k => k!["d"] is not null);
        var active = keys.Single(k => k!["kid"]!.GetValue<string>() == "t1")!["x"]!.GetValue<string>();
        Assert.Equal(ForgedTokens.PublicKeyOf(AdminHost.SigningKey1), Base64Url.DecodeFromChars(active));
        var parts = grant.Text("accessToken").Split('.');
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Base64Url.DecodeFromChars(active), KeyBlobFormat.RawPublicKey);
        Assert.True(SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2])));
    }
}
