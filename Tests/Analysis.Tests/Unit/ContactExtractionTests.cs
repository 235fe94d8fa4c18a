using VoiceAnalytics.AnalysisService.Analyzers.Offline;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class ContactExtractionTests
{
    private static ConversationTranscript Call(params (TurnRole Role, string Message)[] turns) =>
        new("conv_test", turns.Select(t => new TranscriptTurn(t.Role, t.Message)).ToList());

    [Theory]
    [InlineData("Да, меня зовут Алексей Кузнецов.", "Алексей Кузнецов")]
    [InlineData("Hello, my name is Sarah O'Connor and I need help.", "Sarah O'Connor")]
    [InlineData("Oi, meu nome é João Pereira dos Santos.", "João Pereira dos Santos")]
    [InlineData("Me chamo Ana.", "Ana")]
    public void SelfIntroductionGivesTheName(string said, string name)
    {
        var transcript = Call((TurnRole.Agent, "Добрый день!"), (TurnRole.User, said));

        Assert.Equal(name, NameExtractor.Find(transcript));
    }

    [Theory]
    [InlineData("Как к вам обращаться?", "Да, Сергей.", "Сергей")]
    [InlineData("May I have your name, please?", "Sure, it's Emily Clark.", "Emily Clark")]
    [InlineData("Qual é o seu nome?", "Claro, Beatriz Costa.", "Beatriz Costa")]
    public void AnAnswerToTheAgentsQuestionGivesTheName(string asked, string answered, string name)
    {
        var transcript = Call((TurnRole.Agent, asked), (TurnRole.User, answered));

        Assert.Equal(name, NameExtractor.Find(transcript));
    }

    [Fact]
    public void TheAgentsOwnIntroductionIsNotTheCallersName()
    {
        var transcript = Call(
            (TurnRole.Agent, "Здравствуйте, меня зовут Анна. Как вас зовут?"),
            (TurnRole.User, "Хочу узнать про тариф."));

        Assert.Null(NameExtractor.Find(transcript));
    }

    [Fact]
    public void ACallerStartingASentenceIsNotAName()
    {
        var transcript = Call((TurnRole.Agent, "What's your name?"), (TurnRole.User, "I'm calling about my bill."));

        Assert.Null(NameExtractor.Find(transcript));
    }

    [Theory]
    [InlineData("пишите на Ivan.Petrov@Example.com.", "ivan.petrov@example.com")]
    [InlineData("ivan точка petrov собака example точка com", "ivan.petrov@example.com")]
    [InlineData("it's john at mail dot com", "john@mail.com")]
    [InlineData("é maria.silva arroba gmail ponto com", "maria.silva@gmail.com")]
    public void FindsWrittenAndSpelledEmails(string said, string email) => Assert.Equal(email, EmailExtractor.Find(said));

    [Fact]
    public void LookingAtSomethingIsNotAnEmail() => Assert.Null(EmailExtractor.Find("please look at the invoice"));

    [Fact]
    public void CallerIdIsTheFallbackPhone()
    {
        var transcript = Call((TurnRole.User, "Хочу узнать цену.")) with { CallerNumber = "+375291112233" };

        Assert.Equal("+375291112233", ContactExtractor.Extract(transcript).Phone);
    }
}
