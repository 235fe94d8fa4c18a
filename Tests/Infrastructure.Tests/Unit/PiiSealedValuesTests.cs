using System.Text;
using VoiceAnalytics.Infrastructure.Privacy;
using VoiceAnalytics.Infrastructure.Tests.Support;

namespace VoiceAnalytics.Infrastructure.Tests.Unit;

/// <summary>Whole documents sealed as one JSON string, and binary values (recordings), encrypted and read in both forms.</summary>
public sealed class PiiSealedValuesTests
{
    private const string Document = """{"data":{"transcript":[{"message":"Меня зовут Иван"}],"metadata":{"phone_call":{"external_number":"+79161234567"}}}}""";

    [Fact]
    public void ASealedDocumentIsAJsonStringWithoutItsContentAndOpensToTheSameText()
    {
        var protector = TestKeys.Ring("k1", "k1");
        var sealedJson = protector.SealJson(Document);

        Assert.StartsWith("\"enc:v1:k1:", sealedJson, StringComparison.Ordinal);
        Assert.DoesNotContain("79161234567", sealedJson, StringComparison.Ordinal);
        Assert.Equal(Document, protector.OpenJson(sealedJson));
        Assert.Same(sealedJson, protector.SealJson(sealedJson)); // sealing twice changes nothing
        Assert.Equal(Document, protector.OpenJson(Document));    // a document stored before encryption reads as it is
    }

    [Fact]
    public void ADocumentSealedFromItsUtf8BytesOpensToTheSameTextAsOneSealedFromItsString()
    {
        var protector = TestKeys.Ring("k1", "k1");
        var bytes = Encoding.UTF8.GetBytes(Document);

        var sealedJson = protector.SealJson(bytes.AsSpan());

        Assert.StartsWith("\"enc:v1:k1:", sealedJson, StringComparison.Ordinal);
        Assert.DoesNotContain("79161234567", sealedJson, StringComparison.Ordinal);
        Assert.Equal(Document, protector.OpenJson(sealedJson));
        Assert.Equal(protector.SealJson(Document).Length, sealedJson.Length);
        Assert.Equal(sealedJson, protector.SealJson(Encoding.UTF8.GetBytes(sealedJson).AsSpan())); // sealing twice changes nothing
        Assert.Equal("\"\"", protector.OpenJson(protector.SealJson("\"\""u8)));
    }

    [Fact]
    public void ManyThreadsSealingAndOpeningAtOnceEachGetTheirOwnDocumentBack()
    {
        // Each thread encrypts with its own cipher instances; a shared instance would mix up nonces and tags and
        // make documents fail to open or open to another thread's text.
        var protector = TestKeys.Ring("k2", "k1", "k2");
        var older = TestKeys.Ring("k1", "k1");
        var failures = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var document = $$"""{"n":{{i}},"text":"{{new string((char)('a' + (i % 26)), i % 700)}}"}""";
            var sealedNow = protector.SealJson(Encoding.UTF8.GetBytes(document).AsSpan());
            var sealedBefore = older.SealJson(document);
            var recording = protector.ProtectBytes(Encoding.UTF8.GetBytes(document));
            if (protector.OpenJson(sealedNow) != document || protector.OpenJson(sealedBefore) != document
                || Encoding.UTF8.GetString(protector.UnprotectBytes(recording)) != document)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void BinaryValuesRoundTripUnderAnyKeyOfTheRingAndPlainBytesReadAsTheyAre()
    {
        var audio = Encoding.ASCII.GetBytes("ID3 not really an mp3, but bytes all the same");
        var k1 = TestKeys.Ring("k1", "k1");
        var sealedAudio = k1.ProtectBytes(audio);

        Assert.StartsWith("enc:v1:k1:", Encoding.ASCII.GetString(sealedAudio, 0, 10), StringComparison.Ordinal);
        Assert.Equal(-1, sealedAudio.AsSpan().IndexOf("not really"u8));
        Assert.Equal(audio.Length, PiiBytes.PlainLength(sealedAudio));
        Assert.Equal(audio, k1.UnprotectBytes(sealedAudio));
        Assert.Same(audio, k1.UnprotectBytes(audio));

        var k2 = TestKeys.Ring("k2", "k1", "k2");
        var rotated = k2.ReencryptBytes(sealedAudio);
        Assert.Equal("k2", PiiBytes.KeyIdOf(rotated));
        Assert.Equal(audio, TestKeys.Ring("k2", "k2").UnprotectBytes(rotated));
        Assert.Same(rotated, k2.ReencryptBytes(rotated));
    }

    [Fact]
    public void AChangedByteOfABinaryValueIsDetected()
    {
        var protector = TestKeys.Ring("k1", "k1");
        var sealedAudio = protector.ProtectBytes("some audio"u8);
        sealedAudio[^20] ^= 0x01;

        Assert.Throws<PiiDecryptionException>(() => protector.UnprotectBytes(sealedAudio));
    }
}
