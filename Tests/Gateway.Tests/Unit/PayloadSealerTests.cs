using System.Security.Cryptography;
using System.Text;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Tests.Support;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Unit;

public sealed class PayloadSealerTests
{
    private static readonly PiiProtector Protector = new(new PiiKeyRing(
        new Dictionary<string, byte[]> { ["k1"] = RandomNumberGenerator.GetBytes(32) }, "k1", RandomNumberGenerator.GetBytes(32)));

    [Fact]
    public void TheParserFindsTheCallersNumberAndTheSealerKeepsOnlyItsHash()
    {
        var parsed = WebhookParser.Parse(Fixtures.Bytes("post_call_transcription_ru.json"), null, DateTimeOffset.UtcNow).Event!;
        Assert.Equal("+375291234567", parsed.CallerPhone);

        var sealedEvent = new PayloadSealer(Protector).Seal(parsed);

        Assert.True(sealedEvent.IsSealed);
        Assert.Null(sealedEvent.CallerPhone);
        Assert.Equal(Protector.PhoneLookupHash("+375 29 123-45-67"), sealedEvent.PhoneHash);
        Assert.DoesNotContain("375291234567", sealedEvent.Payload, StringComparison.Ordinal);
        Assert.Equal(parsed.Payload, Protector.OpenJson(sealedEvent.Payload));
        Assert.Same(sealedEvent, new PayloadSealer(Protector).Seal(sealedEvent));
    }

    [Theory]
    [InlineData("post_call_transcription_ru.json")]
    [InlineData("post_call_transcription_web_en.json")]
    [InlineData("post_call_audio_small.json")]
    public void AnEventSealedWhileParsedOpensToTheSamePayloadAndRecordingAsOneParsedInClear(string file)
    {
        var body = Fixtures.Bytes(file);
        var sealer = new PayloadSealer(Protector);
        var clear = WebhookParser.Parse(body, "00-trace", DateTimeOffset.UnixEpoch).Event!;

        var sealedEvent = WebhookParser.Parse(body, "00-trace", DateTimeOffset.UnixEpoch, sealer).Event!;

        Assert.True(sealedEvent.IsSealed);
        Assert.StartsWith("\"enc:v1:k1:", sealedEvent.Payload, StringComparison.Ordinal);
        Assert.Equal(clear.Payload, Protector.OpenJson(sealedEvent.Payload));
        Assert.Null(sealedEvent.CallerPhone);
        Assert.Equal(sealer.Seal(clear).PhoneHash, sealedEvent.PhoneHash);
        Assert.Equal(clear.Audio is null, sealedEvent.Audio is null);
        if (clear.Audio is { } audio)
        {
            Assert.True(PiiBytes.IsProtected(sealedEvent.Audio));
            Assert.Equal(audio, Protector.UnprotectBytes(sealedEvent.Audio!));
        }
        Assert.Equal((clear.Type, clear.ConversationId, clear.AgentId, clear.EventTimestamp, clear.TraceParent, clear.ReceivedAt),
            (sealedEvent.Type, sealedEvent.ConversationId, sealedEvent.AgentId, sealedEvent.EventTimestamp, sealedEvent.TraceParent, sealedEvent.ReceivedAt));
        Assert.Same(sealedEvent, sealer.Seal(sealedEvent));
    }

    [Fact]
    public void AnEventWithoutANumberGetsAnEmptyHashSoTheBackgroundIndexerLeavesItAlone()
    {
        var parsed = WebhookParser.Parse(Fixtures.Transcription("conv_no_phone"), null, DateTimeOffset.UtcNow).Event!;

        Assert.Equal("", new PayloadSealer(Protector).Seal(parsed).PhoneHash);
    }

    [Fact]
    public void ASpoolLineWrittenBeforeEncryptionIsSealedWithItsNumbersHash()
    {
        // A line as the spool wrote it before encryption: the payload object in clear, no "sealed", no hash.
        var payload = Encoding.UTF8.GetString(Fixtures.Bytes("post_call_transcription_ru.json")).ReplaceLineEndings(" ");
        var line = $$"""{"type":"post_call_transcription","conversation_id":"conv_old_line","agent_id":null,"trace_parent":null,"received_at":"2026-11-26T10:00:00+00:00","payload":{{payload}}}""";

        var read = SpoolCodec.Read(Encoding.UTF8.GetBytes(line));
        var sealedEvent = new PayloadSealer(Protector).Seal(read);

        Assert.False(read.IsSealed);
        Assert.Equal(Protector.PhoneLookupHash("+375291234567"), sealedEvent.PhoneHash);
        Assert.StartsWith("\"enc:v1:k1:", sealedEvent.Payload, StringComparison.Ordinal);
    }
}
