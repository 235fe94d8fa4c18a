using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Infrastructure.Tests.Support;

namespace VoiceAnalytics.Infrastructure.Tests.Unit;

public sealed class PiiProtectorTests
{
    private const string Phone = "+7 (916) 123-45-67";

    [Fact]
    public void ProtectedValueRoundTripsAndCarriesTheKeyIdButNotThePlaintext()
    {
        var protector = TestKeys.Ring("k1", "k1");
        var envelope = protector.Protect("Иван Петров, +79161234567");

        Assert.StartsWith("enc:v1:k1:", envelope, StringComparison.Ordinal);
        Assert.DoesNotContain("Иван", envelope, StringComparison.Ordinal);
        Assert.DoesNotContain("79161234567", envelope, StringComparison.Ordinal);
        Assert.Equal("Иван Петров, +79161234567", protector.Unprotect(envelope));
    }

    [Fact]
    public void SameValueEncryptsDifferentlyEachTime()
    {
        var protector = TestKeys.Ring("k1", "k1");
        Assert.NotEqual(protector.Protect("Anna"), protector.Protect("Anna"));
    }

    [Fact]
    public void NoNonceIsUsedTwiceAcrossManyValuesAndThreads()
    {
        // Nonces are drawn in blocks per thread: many more values than one block holds, on several threads at once.
        var protector = TestKeys.Ring("k1", "k1");
        var nonces = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 5000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            var envelope = PiiEnvelope.TryParse(protector.Protect("Anna"), out var parsed) ? parsed.Value : throw new InvalidOperationException();
            nonces.Add(Convert.ToHexString(envelope.Nonce));
        });

        Assert.Equal(5000, nonces.Distinct().Count());
    }

    [Fact]
    public void AChangedCiphertextByteIsDetected()
    {
        var protector = TestKeys.Ring("k1", "k1");
        var envelope = PiiEnvelope.TryParse(protector.Protect("Anna Smith"), out var parsed) ? parsed.Value : throw new InvalidOperationException();
        envelope.Ciphertext[0] ^= 0x01;

        var ex = Assert.Throws<PiiDecryptionException>(() => protector.Unprotect(envelope.ToString()));
        Assert.DoesNotContain("Anna", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedTagOrSwappedKeyIdIsDetected()
    {
        var protector = TestKeys.Ring("k1", "k1", "k2");
        var envelope = PiiEnvelope.TryParse(protector.Protect("Anna"), out var parsed) ? parsed.Value : throw new InvalidOperationException();
        envelope.Tag[^1] ^= 0x80;
        Assert.Throws<PiiDecryptionException>(() => protector.Unprotect(envelope.ToString()));

        var relabelled = protector.Protect("Anna").Replace("enc:v1:k1:", "enc:v1:k2:", StringComparison.Ordinal);
        Assert.Throws<PiiDecryptionException>(() => protector.Unprotect(relabelled));
    }

    [Fact]
    public void ATruncatedEnvelopeIsRejected()
    {
        var protector = TestKeys.Ring("k1", "k1");
        Assert.Throws<PiiDecryptionException>(() => protector.Unprotect("enc:v1:k1:AAAA"));
    }

    [Fact]
    public void AValueUnderAnotherKeyWithTheSameIdDoesNotDecrypt()
    {
        var writer = TestKeys.Ring("k1", "k1");
        var stranger = new PiiProtector(new PiiKeyRing(new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", TestKeys.HashKey));

        Assert.Throws<PiiDecryptionException>(() => stranger.Unprotect(writer.Protect("Anna")));
    }

    [Fact]
    public void AValueUnderAnUnknownKeyIdIsRejectedNamingOnlyTheKeyId()
    {
        var writer = TestKeys.Ring("k2", "k2");
        var reader = TestKeys.Ring("k1", "k1");

        var ex = Assert.Throws<PiiDecryptionException>(() => reader.Unprotect(writer.Protect("Anna")));
        Assert.Contains("'k2'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterRotationNewValuesUseTheNewKeyAndOldValuesStillDecrypt()
    {
        var before = TestKeys.Ring("k1", "k1");
        var old = before.Protect("Anna");
        var after = TestKeys.Ring("k2", "k1", "k2");

        var fresh = after.Protect("Boris");
        Assert.StartsWith("enc:v1:k2:", fresh, StringComparison.Ordinal);
        Assert.Equal("Anna", after.Unprotect(old));
        Assert.True(after.NeedsReencryption(old));
        Assert.False(after.NeedsReencryption(fresh));

        var rewritten = after.Reencrypt(old);
        Assert.StartsWith("enc:v1:k2:", rewritten, StringComparison.Ordinal);
        Assert.Equal("Anna", TestKeys.Ring("k2", "k2").Unprotect(rewritten));
    }

    [Fact]
    public void PlainTextFromBeforeEncryptionReadsUnchanged()
    {
        var protector = TestKeys.Ring("k1", "k1");
        Assert.Equal("legacy", protector.Unprotect("legacy"));
        Assert.Null(protector.Unprotect(null));
        Assert.Null(protector.ProtectOrNull(null));
    }

    [Theory]
    [InlineData("+7 (916) 123-45-67")]
    [InlineData("+79161234567")]
    [InlineData("8 916 123 45 67")]
    [InlineData("0079161234567")]
    [InlineData("79161234567")]
    public void EverySpellingOfOneNumberHashesTheSame(string spelling)
    {
        var protector = TestKeys.Ring("k1", "k1");
        Assert.Equal(protector.PhoneLookupHash(Phone), protector.PhoneLookupHash(spelling));
    }

    [Fact]
    public void PhoneHashIsStableAcrossKeyRotationKeyedAndNotThePhone()
    {
        var hash = TestKeys.Ring("k1", "k1").PhoneLookupHash(Phone)!;
        Assert.Equal(hash, TestKeys.Ring("k2", "k1", "k2").PhoneLookupHash(Phone));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain("9161234567", hash, StringComparison.Ordinal);

        var otherHashKey = new PiiProtector(new PiiKeyRing(new Dictionary<string, byte[]> { ["k1"] = TestKeys.Key1 }, "k1", RandomNumberGenerator.GetBytes(32)));
        Assert.NotEqual(hash, otherHashKey.PhoneLookupHash(Phone));
        Assert.NotEqual(hash, TestKeys.Ring("k1", "k1").PhoneLookupHash("+79161234568"));
    }

    [Fact]
    public void TextThatIsNotAPhoneNumberHasNoHash()
    {
        var protector = TestKeys.Ring("k1", "k1");
        Assert.Null(protector.PhoneLookupHash("call me"));
        Assert.Null(protector.PhoneLookupHash("12-34"));
    }

    [Fact]
    public void ConfiguredKeysAreUsedAndBadOnesRefused()
    {
        var options = new PrivacyOptions
        {
            Keys = { ["2025-01"] = Convert.ToBase64String(TestKeys.Key1), ["2026-01"] = Convert.ToBase64String(TestKeys.Key2) },
            ActiveKeyId = "2026-01",
            HashKey = Convert.ToBase64String(TestKeys.HashKey),
        };
        var ring = PiiKeyRingFactory.Create(options, NullLogger.Instance);
        Assert.Equal("2026-01", ring.ActiveKeyId);

        options.Keys["short"] = Convert.ToBase64String(new byte[16]);
        Assert.Throws<ArgumentException>(() => PiiKeyRingFactory.Create(options, NullLogger.Instance));
        options.Keys.Remove("short");
        options.ActiveKeyId = "missing";
        Assert.Throws<ArgumentException>(() => PiiKeyRingFactory.Create(options, NullLogger.Instance));
        options.ActiveKeyId = "2026-01";
        options.HashKey = null;
        Assert.Throws<InvalidOperationException>(() => PiiKeyRingFactory.Create(options, NullLogger.Instance));
    }

    [Fact]
    public void WithoutConfiguredKeysADevelopmentRingIsGeneratedOnceAndShared()
    {
        var file = Path.Combine(Path.GetTempPath(), $"va-keys-{Guid.NewGuid():N}", "keys.json");
        try
        {
            var options = new PrivacyOptions { DevelopmentKeyFile = file };
            var first = new PiiProtector(PiiKeyRingFactory.Create(options, NullLogger.Instance));
            var second = new PiiProtector(PiiKeyRingFactory.Create(options, NullLogger.Instance));

            Assert.True(File.Exists(file));
            Assert.Equal("Anna", second.Unprotect(first.Protect("Anna")));
            Assert.Equal(first.PhoneLookupHash(Phone), second.PhoneLookupHash(Phone));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
