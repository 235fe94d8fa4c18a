using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Unit.Api;

/// <summary>The signature check over the published vectors, from many threads at once (each keeps its own HMAC contexts).</summary>
public sealed class WebhookSignatureVerifierTests
{
    [Fact]
    public void EveryVectorVerifiesAndEveryAlteredBodyFailsWhileManyThreadsCheckAtOnce()
    {
        var vectors = Fixtures.Vectors().Where(v => v.Secret == Fixtures.VectorSecret).ToList();
        Assert.NotEmpty(vectors);
        var verifier = Verifier(Fixtures.VectorSecret, previous: "wsec_rotated_out_secret");
        var bodies = vectors.Select(v => Fixtures.Bytes(v.File)).ToList();
        var headers = vectors.Select(v => SignatureHeader.TryParse(v.Header)!).ToList();

        var wrong = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var n = i % vectors.Count;
            var body = bodies[n];
            var altered = (byte[])body.Clone();
            altered[i % altered.Length] ^= 0x01;
            if (!verifier.IsValid(headers[n], body) || verifier.IsValid(headers[n], altered))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void ASignatureUnderThePreviousSecretStillVerifiesAndOneUnderAnUnknownSecretDoesNot()
    {
        var vector = Fixtures.Vectors().First(v => v.Secret == Fixtures.VectorSecret);
        var body = Fixtures.Bytes(vector.File);
        var header = SignatureHeader.TryParse(vector.Header)!;

        Assert.True(Verifier("wsec_new_secret", previous: Fixtures.VectorSecret).IsValid(header, body));
        Assert.False(Verifier("wsec_new_secret", previous: "wsec_other").IsValid(header, body));
        Assert.False(Verifier(Fixtures.VectorSecret, previous: null).IsValid(header with { Timestamp = header.Timestamp + 1 }, body));
        Assert.True(Verifier(Fixtures.VectorSecret, previous: null).IsValid(header, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body))));
    }

    private static WebhookSignatureVerifier Verifier(string secret, string? previous) =>
        new(Options.Create(new WebhookOptions { Secret = secret, PreviousSecret = previous }), new FakeTimeProvider());
}
