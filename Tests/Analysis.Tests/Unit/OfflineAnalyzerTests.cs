using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Analyzers.Offline;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class OfflineAnalyzerTests
{
    // What a person reading each call finds. The shared English web-widget call has no contact details at all:
    // the caller never gives them, and the agent's own name ("Max") must not be taken for the caller's.
    public static TheoryData<string, string, string, string?> Expected => new()
    {
        { "post_call_transcription_ru.json", "Иван Петров", "+375291234567", "ivan.petrov@example.com" },
        { "post_call_transcription_ru_digits.json", "Ольга Смирнова", "+79161234567", "olga.smirnova@mail.ru" },
        { "post_call_transcription_pt.json", "Maria da Silva", "+5511912345678", "maria.silva@gmail.com" },
        { "post_call_transcription_en_phone.json", "John Smith", "+14155550123", "john.smith@example.org" },
        { "post_call_transcription_web_en.json", "", "", null },
    };

    [Fact]
    public void EveryTranscriptionFixtureHasAnExpectation()
    {
        var covered = Expected.Select(row => (string)row[0]).ToHashSet();
        Assert.All(Fixtures.TranscriptionFiles, file => Assert.Contains(file, covered));
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void ExtractsNamePhoneAndEmailFromTheFixture(string file, string name, string phone, string? email)
    {
        var verdict = OfflineAnalyzer.Analyze(Fixtures.Transcript(file));

        Assert.Equal(name, verdict.ClientName);
        Assert.Equal(phone, verdict.Phone);
        Assert.Equal(email, verdict.Email);
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task EveryFixtureGetsAValidRussianVerdictLabelledAsOffline(string file, string name, string phone, string? email)
    {
        _ = (name, phone, email);
        var result = await new OfflineAnalyzer().AnalyzeAsync(Fixtures.Transcript(file), CancellationToken.None);

        Assert.Empty(VerdictValidator.Check(result.Verdict));
        Assert.Equal("offline-rules/1", result.Model);
        Assert.True(SummaryRules.IsMostlyCyrillic(result.Verdict.SummaryRu));
        Assert.True(SummaryRules.IsMostlyCyrillic(result.Verdict.Recommendations));
        Assert.Equal(0, result.InputTokens);
    }

    [Fact]
    public void RussianPricingCallIsAboutPriceWithElevenLabsSuccessAndSummary()
    {
        var verdict = OfflineAnalyzer.Analyze(Fixtures.Transcript("post_call_transcription_ru.json"));

        Assert.Equal("Стоимость и тарифы", verdict.Topic);
        Assert.Equal("Получить коммерческое предложение", verdict.Intent);
        Assert.StartsWith("Успешно:", verdict.Outcome);
        Assert.Contains("клиент оставил контакты", verdict.Outcome);
        // ElevenLabs' own Russian summary is kept as it is.
        Assert.StartsWith("Иван Петров интересуется подключением", verdict.SummaryRu);
        Assert.Equal(5, verdict.Quality);
    }

    [Fact]
    public void EnglishBillingCallGetsARussianSummaryAndRefundIntent()
    {
        var verdict = OfflineAnalyzer.Analyze(Fixtures.Transcript("post_call_transcription_web_en.json"));

        Assert.Equal("Оплата и счета", verdict.Topic);
        Assert.Equal("Вернуть ошибочно списанные средства", verdict.Intent);
        Assert.Contains("создана заявка", verdict.Outcome);
        Assert.StartsWith("Клиент обратился по теме «Оплата и счета»", verdict.SummaryRu);
        Assert.DoesNotContain("duplicate", verdict.SummaryRu, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Уточнить номер телефона клиента", verdict.Recommendations);
    }

    [Fact]
    public void WithoutElevenLabsVerdictTheOutcomeIsInferredFromTheFollowUp()
    {
        var verdict = OfflineAnalyzer.Analyze(Fixtures.Transcript("post_call_transcription_ru_digits.json"));

        Assert.Equal("Техническая поддержка", verdict.Topic);
        Assert.StartsWith("Успешно (по признакам разговора)", verdict.Outcome);
        Assert.Contains("создана заявка", verdict.Outcome);
        Assert.Contains("обещан обратный звонок", verdict.Outcome);
    }

    [Fact]
    public void ACallerWhoOnlySaysHelloIsAFailedCallWithLowerQuality()
    {
        var transcript = new AnalysisService.Model.ConversationTranscript("conv_x",
        [
            new(AnalysisService.Model.TurnRole.Agent, "Здравствуйте! Чем могу помочь?"),
            new(AnalysisService.Model.TurnRole.User, "Алло?"),
        ]);

        var verdict = OfflineAnalyzer.Analyze(transcript);

        Assert.StartsWith("Неуспешно", verdict.Outcome);
        Assert.True(verdict.Quality <= 3);
        Assert.Equal("", verdict.Phone);
        Assert.Empty(VerdictValidator.Check(verdict));
    }
}
