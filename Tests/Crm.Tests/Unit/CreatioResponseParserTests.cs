using System.Net;
using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CreatioResponseParserTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void ResultCodeZeroIsSuccess()
    {
        var result = CreatioResponseParser.Parse(HttpStatusCode.OK, Fixture("response_ok.json"));
        Assert.True(result.Success);
        Assert.Equal(0, result.ResultCode);
    }

    [Fact]
    public void ResultCodeMinusOneIsAFailureWithItsMessageAndExceptionType()
    {
        var result = CreatioResponseParser.Parse(HttpStatusCode.OK, Fixture("response_error.json"));
        Assert.False(result.Success);
        Assert.False(result.Transient);
        Assert.Equal(-1, result.ResultCode);
        Assert.Equal("System.Security.SecurityException", result.ExceptionType);
        Assert.Contains("NotAllowedURLMessage", result.Message);
    }

    [Theory]
    [InlineData("""{"SaveWebFormObjectDataResult":""}""", "Empty")]
    [InlineData("""{"SaveWebFormObjectDataResult":null}""", "Empty")]
    [InlineData("""{"SaveWebFormObjectDataResult":"{resultCode:"}""", "Unparseable")]
    [InlineData("""{"SaveWebFormObjectDataResult":"{resultMessage:\"x\"}"}""", "no resultCode")]
    [InlineData("""{"Other":1}""", "no SaveWebFormObjectDataResult")]
    [InlineData("<html>Login</html>", "not JSON")]
    [InlineData("", "not JSON")]
    public void EmptyOrUnreadableAnswersAreFailures(string body, string reason)
    {
        var result = CreatioResponseParser.Parse(HttpStatusCode.OK, body);
        Assert.False(result.Success);
        Assert.Contains(reason, result.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public void NonSuccessStatusIsAFailureEvenWithAGoodBody(HttpStatusCode status, bool transient)
    {
        var result = CreatioResponseParser.Parse(status, Fixture("response_ok.json"));
        Assert.False(result.Success);
        Assert.Equal(transient, result.Transient);
        Assert.Contains($"HTTP {(int)status}", result.Message);
    }

    [Theory]
    [InlineData("""{"SaveWebFormObjectDataResult":"{\"resultMessage\":\"\",\"resultCode\":0}"}""")]
    [InlineData("""{"SaveWebFormObjectDataResult":"{ resultMessage : 'ok, queued' , resultCode : 0 }"}""")]
    [InlineData("""{"SaveWebFormObjectDataResult":{"resultMessage":"","resultCode":0}}""")]
    public void QuotedUnquotedAndObjectResultsAreRead(string body) =>
        Assert.True(CreatioResponseParser.Parse(HttpStatusCode.OK, body).Success);

    [Fact]
    public void LenientReaderHandlesEscapesNestingAndRejectsTrailingGarbage()
    {
        Assert.True(LenientObjectReader.TryRead("{a:\"x\\\"y\\u0041\",b:[1,2.5,{c:true}],d:null}", out var value));
        Assert.Equal("x\"yA", value["a"]);
        Assert.Null(value["d"]);
        Assert.False(LenientObjectReader.TryRead("{a:1} tail", out _));
        Assert.False(LenientObjectReader.TryRead("[1]", out _));
    }
}
