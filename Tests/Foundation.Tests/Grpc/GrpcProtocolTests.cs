using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Foundation.Tests.Grpc;

public sealed class GrpcProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3_000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void TimeoutUnitsParse(string header, double expectedMs) =>
        Assert.True(GrpcProtocol.TryParseTimeout(header, out var t) && Math.Abs(t.TotalMilliseconds - expectedMs) < 0.001);

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10x")]
    [InlineData("-5S")]
    public void MalformedTimeoutsAreIgnored(string header) => Assert.False(GrpcProtocol.TryParseTimeout(header, out _));

    [Fact]
    public void FormattedTimeoutsStayWithinEightDigitsAndParseBack()
    {
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(90), TimeSpan.FromHours(30), TimeSpan.FromDays(5000) })
        {
            var header = GrpcProtocol.FormatTimeout(timeout);
            Assert.True(header.Length <= 9, header);
            Assert.True(GrpcProtocol.TryParseTimeout(header, out var back));
            Assert.True(back <= timeout && timeout - back < TimeSpan.FromHours(1), header);
        }
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("ы", "%D1%8B")]
    public void StatusMessagesArePercentEncoded(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcProtocol.EncodeMessage(message));
        Assert.Equal(message, GrpcProtocol.DecodeMessage(encoded));
    }

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc-web", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void ContentTypeIsRecognised(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));
}
