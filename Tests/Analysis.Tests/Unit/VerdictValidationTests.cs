using VoiceAnalytics.AnalysisService.Analyzers;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class VerdictValidationTests
{
    private const string Valid = """
        {"topic":"Стоимость","intent":"Узнать цену","quality":4,"outcome":"Успешно","summary_ru":"Клиент узнал цену.",
         "recommendations":"Отправить КП.","client_name":"Иван Петров","phone":"+375 29 123-45-67"}
        """;

    [Fact]
    public void AValidAnswerIsParsedWithThePhoneFormattingRemoved()
    {
        var verdict = VerdictParser.Parse(Valid);

        Assert.Equal(4, verdict.Quality);
        Assert.Equal("Иван Петров", verdict.ClientName);
        Assert.Equal("+375291234567", verdict.Phone);
    }

    [Fact]
    public void NullNameAndPhoneBecomeEmpty()
    {
        var verdict = VerdictParser.Parse(Valid.Replace("\"Иван Петров\"", "null").Replace("\"+375 29 123-45-67\"", "null"));

        Assert.Equal("", verdict.ClientName);
        Assert.Equal("", verdict.Phone);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("", "no content")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"topic":"x"}""", "intent is missing")]
    public void BrokenAnswersAreRejectedWithAClearReason(string answer, string reason)
    {
        var error = Assert.Throws<InvalidVerdictException>(() => VerdictParser.Parse(answer));

        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("\"quality\":4", "\"quality\":7", "quality must be an integer from 1 to 5")]
    [InlineData("\"quality\":4", "\"quality\":3.5", "quality must be an integer from 1 to 5")]
    [InlineData("\"quality\":4", "\"quality\":\"4\"", "quality must be an integer from 1 to 5")]
    [InlineData("\"+375 29 123-45-67\"", "\"80291234567\"", "phone must be E.164")]
    [InlineData("\"Клиент узнал цену.\"", "\"The client asked for a price.\"", "summary_ru must be written in Russian")]
    [InlineData("\"topic\":\"Стоимость\"", "\"topic\":\"  \"", "topic is required")]
    public void RuleBreakingAnswersAreRejectedWithoutEchoingTheirContent(string from, string to, string reason)
    {
        var error = Assert.Throws<InvalidVerdictException>(() => VerdictParser.Parse(Valid.Replace(from, to)));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain("Иван", error.Message);
        Assert.DoesNotContain("80291234567", error.Message);
    }

    [Fact]
    public void OverlongFieldsAreRejected()
    {
        var error = Assert.Throws<InvalidVerdictException>(() => VerdictParser.Parse(Valid.Replace("Клиент узнал цену.", new string('я', 2500))));

        Assert.Contains("summary_ru is longer than 2000 characters", error.Message);
    }
}
