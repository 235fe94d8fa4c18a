using System.Security.Cryptography;
using System.Text;
using VoiceAnalytics.Gateway.Privacy;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Unit;

/// <summary>The tombstone hash must never change: tombstones written earlier have to keep matching the events they stop.</summary>
public sealed class ErasureTombstonesTests
{
    private static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void TheHashIsTheHmacOfTheIdUnderTheDerivedKeyOnEveryThreadAndEveryCall()
    {
        var tombstones = new ErasureTombstones(new PiiKeyRing(
            new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", HashKey));
        var derivedKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, HashKey, 32, salt: [],
            info: Encoding.ASCII.GetBytes("VoiceAnalytics erased conversations v1"));
        static string Id(int i) => $"conv_{i}_{new string('é', i % 40)}";

        var wrong = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(derivedKey, Encoding.UTF8.GetBytes(Id(i))));
            if (tombstones.HashOf(Id(i)) != expected)
            {
                Interlocked.Increment(ref wrong);
            }
        });

        Assert.Equal(0, wrong);
    }
}
