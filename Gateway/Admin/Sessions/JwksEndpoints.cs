using System.Buffers.Text;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VoiceAnalytics.Gateway.Admin.Sessions;

/// <summary><c>/.well-known/jwks.json</c>: the public keys that verify access tokens, for anyone who needs to check one.</summary>
public static class JwksEndpoints
{
    public static RouteHandlerBuilder MapJwks(this IEndpointRouteBuilder app) =>
        app.MapGet("/.well-known/jwks.json", GetKeys).AllowAnonymous().WithTags("Sessions")
            .WithSummary("The Ed25519 public keys (OKP JWKs) that verify admin access tokens, by key id.");

    private static Ok<JsonWebKeySet> GetKeys(SigningKeyRing keys) => TypedResults.Ok(new JsonWebKeySet(
        [.. keys.PublicKeys.Select(k => new JsonWebKey("OKP", "Ed25519", Base64Url.EncodeToString(k.PublicKey), k.KeyId, "sig", AccessTokenCodec.Algorithm))]));
}
