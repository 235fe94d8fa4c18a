using System.Security.Cryptography;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Infrastructure.Tests.Support;

internal static class TestKeys
{
    public static readonly byte[] HashKey = RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] Key1 = RandomNumberGenerator.GetBytes(32);
    public static readonly byte[] Key2 = RandomNumberGenerator.GetBytes(32);

    public static PiiProtector Ring(string active, params string[] ids) => new(new PiiKeyRing(
        ids.ToDictionary(id => id, id => id == "k1" ? Key1 : Key2), active, HashKey));
}
