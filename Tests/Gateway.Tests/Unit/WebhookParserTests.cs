using System.Text;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Ingest;

namespace VoiceAnalytics.Gateway.Tests.Unit;

public sealed class WebhookParserTests
{
    private static WebhookParseResult Parse(string json) => WebhookParser.Parse(Encoding.UTF8.GetBytes(json), null, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("1767607331", 1767607331)]
    [InlineData("\"1767607331\"", 1767607331)]
    [InlineData("1767607331.75", 1767607331)]
    [InlineData("\"2026-01-05T10:02:11Z\"", 1767607331)]
    public void EventTimestampIsReadFromANumberOrAString(string value, long expected)
    {
        var result = Parse($$$"""{"type":"t","event_timestamp":{{{value}}},"data":{"conversation_id":"c"}}""");

        Assert.Equal(expected, result.Event!.EventTimestamp);
    }

    [Theory]
    [InlineData("conversation_id")]
    [InlineData("agent_id")]
    public void AnIdentifierTooLongForAnIndexIsRefusedAtTheEdge(string field)
    {
        var longValue = new string('x', WebhookParser.MaxIdentifierLength + 1);

        var result = Parse($$$"""{"type":"t","data":{"conversation_id":"c","{{{field}}}":"{{{longValue}}}"}}""");

        Assert.Null(result.Event);
        Assert.Equal(WebhookRejection.FieldTooLong, result.ErrorReason);
        Assert.Equal(400, WebhookRejection.StatusCodeOf(result.ErrorReason!));
    }

    [Fact]
    public void AnEventAsDeepAsTheParserAllowsSurvivesTheSpool()
    {
        var depth = WebhookParser.MaxDepth - 3; // root and data are two levels; the nested value's own level is one more
        var nested = string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth));
        var parsed = Parse($$$"""{"type":"t","data":{"conversation_id":"c","nested":{{{nested}}}}}""").Event!;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();

        SpoolCodec.Write(buffer, parsed);
        var read = SpoolCodec.Read(buffer.WrittenSpan[..^1]);

        Assert.Equal(parsed.Payload, read.Payload);
    }

    [Fact]
    public void UnreadableTimestampIsKeptInThePayloadOnly()
    {
        var result = Parse("""{"type":"t","event_timestamp":"soon","data":{"conversation_id":"c"}}""");

        Assert.Null(result.Event!.EventTimestamp);
        Assert.Contains("\"soon\"", result.Event.Payload);
    }

    [Fact]
    public void AudioIsDecodedEvenWhenTypeComesLastAndSlashesAreEscaped()
    {
        var audio = new byte[] { 0xFF, 0xFB, 0x90, 0x64, 0x00, 0xFE, 0xFF };
        var base64 = Convert.ToBase64String(audio).Replace("/", "\\/", StringComparison.Ordinal);
        Assert.Contains("\\/", base64);

        var result = Parse($$"""{"data":{"full_audio":"{{base64}}","conversation_id":"c","extra":1},"type":"post_call_audio"}""");

        Assert.Equal(audio, result.Event!.Audio);
        Assert.Equal("""{"data":{"full_audio":null,"conversation_id":"c","extra":1},"type":"post_call_audio"}""", result.Event.Payload);
    }

    [Fact]
    public void FullAudioOfAnotherEventTypeIsLeftAlone()
    {
        var result = Parse("""{"type":"post_call_transcription","data":{"conversation_id":"c","full_audio":"QUJD"}}""");

        Assert.Null(result.Event!.Audio);
        Assert.Contains("QUJD", result.Event.Payload);
    }

    [Fact]
    public void AudioThatIsNotBase64IsRefused()
    {
        var result = Parse("""{"type":"post_call_audio","data":{"conversation_id":"c","full_audio":"not base64!"}}""");

        Assert.Equal(WebhookRejection.InvalidAudio, result.ErrorReason);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("")]
    [InlineData("{\"type\":\"t\",\"data\":{\"conversation_id\":\"c\"}")]
    [InlineData("{\"type\":\"t\",\"data\":{\"conversation_id\":\"c\\ud800\"}}")]
    public void NonObjectsTruncatedJsonAndLoneSurrogatesAreMalformed(string json)
    {
        Assert.Equal(WebhookRejection.MalformedJson, Parse(json).ErrorReason);
    }

    [Fact]
    public void InvalidUtf8IsMalformed()
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"t","data":{"conversation_id":"c","x":"??"}}""");
        body[^5] = 0xC3; // a lead byte followed by '?'
        Assert.Equal(WebhookRejection.MalformedJson, WebhookParser.Parse(body, null, DateTimeOffset.UnixEpoch).ErrorReason);
    }

    [Fact]
    public void NestedFieldsNamedLikeTheKeyOnesAreNotMistakenForThem()
    {
        var result = Parse("""{"type":"t","meta":{"type":"inner","conversation_id":"wrong"},"data":{"inner":{"conversation_id":"wrong"},"conversation_id":"right"}}""");

        Assert.Equal("t", result.Event!.Type);
        Assert.Equal("right", result.Event.ConversationId);
    }

    [Theory]
    [InlineData("1e200000")]
    [InlineData("1e131072")]
    [InlineData("-1e131072")]
    [InlineData("1e-16384")]
    [InlineData("1.5e-16383")]
    [InlineData("0e-20000")]
    [InlineData("1e2147483647")]
    [InlineData("0e2147483647")]
    public void ANumberOutsidePostgresRangeIsRefusedAtTheEdge(string number)
    {
        var result = Parse($$$"""{"type":"t","data":{"conversation_id":"c","metadata":[{{{number}}}]}}""");

        Assert.Null(result.Event);
        Assert.Equal(WebhookRejection.UnstorableValue, result.ErrorReason);
    }

    [Theory]
    [InlineData("1e131071")]
    [InlineData("9.9e131071")]
    [InlineData("1e-16383")]
    [InlineData("0e200000")]
    [InlineData("100e-16381")]
    [InlineData("0.000001")]
    public void ANumberPostgresCanStoreIsAccepted(string number)
    {
        Assert.NotNull(Parse($$$"""{"type":"t","data":{"conversation_id":"c","metadata":[{{{number}}}]}}""").Event);
    }

    [Theory]
    [InlineData("post_call_transcription")]
    [InlineData("post_call_audio")]
    public void ANulOrALoneSurrogateInFullAudioIsRefusedWhateverTheType(string type)
    {
        foreach (var value in new[] { "a\\u0000b", "\\ud800" })
        {
            var result = Parse($$$"""{"type":"{{{type}}}","data":{"conversation_id":"c","full_audio":"{{{value}}}"}}""");
            Assert.Null(result.Event);
        }
    }
}
