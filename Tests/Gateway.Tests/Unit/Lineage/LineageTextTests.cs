using VoiceAnalytics.Gateway.Lineage;

namespace VoiceAnalytics.Gateway.Tests.Unit.Lineage;

public sealed class LineageTextTests
{
    private static readonly DateTimeOffset Received = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static LineageReport Report(bool held = true) => new(
        "conv_text_0001",
        held ? new CallFacts(true, PhoneMask.Mask("+55 11 98765-4334"), "agent_103", 330, Received, [42]) : CallFacts.None,
        [
            Step("ingest:1", LineageStepKinds.Received, "elevenlabs (signed webhook)", 0, new() { ["event_id"] = "7", ["event_type"] = "post_call_transcription", ["source_address"] = "203.0.113.9" }),
            Step("ingest:2", LineageStepKinds.Stored, "system:gateway", 0, new() { ["event_id"] = "7" }),
            Step("analysis:5", LineageStepKinds.Analysis, "system:pipeline", 4, new()
            {
                ["version"] = "1", ["model"] = "gpt-4o-mini", ["prompt_version"] = "v3", ["input_tokens"] = "812", ["output_tokens"] = "144", ["reason"] = "webhook",
            }),
            Step("crm-attempt:3", LineageStepKinds.ExportAttempt, "system:pipeline", 6, new()
            {
                ["analysis_version"] = "1", ["sink"] = "creatio", ["crm_record_id"] = "3f1c0d55-0000-4000-8000-000000000001", ["outcome"] = "exported",
            }),
            Step("audit:9", LineageStepKinds.AdminRead, "key:k7 (auditor key)", 60, new() { ["role"] = "auditor", ["action"] = "conversation.read", ["source_ip"] = "198.51.100.4" }),
            Step("audit:10", LineageStepKinds.Erasure, "key:k1 (admin key)", 120, new() { ["role"] = "admin", ["action"] = "subject.erasure", ["source_ip"] = "198.51.100.5" }),
        ],
        []);

    private static LineageStep Step(string id, string kind, string actor, int minutes, Dictionary<string, string?> details) =>
        new(id, kind, actor, Received.AddMinutes(minutes), "test", details);

    [Fact]
    public void PortugueseReadsLikeTheTraceabilityExampleWithTheNumberMasked()
    {
        var text = LineageTextRenderer.Render(Report(), LineageLanguage.All["pt"]);

        Assert.Contains("Uma chamada do número +55 ** *****-**34 foi recebida no dia 14/03/2026 às 09:26:53 UTC, registrada sob a conversa conv_text_0001.", text, StringComparison.Ordinal);
        Assert.Contains("A chamada foi atendida pelo agente de voz agent_103.", text, StringComparison.Ordinal);
        Assert.Contains("A chamada durou 5 minutos e 30 segundos.", text, StringComparison.Ordinal);
        Assert.Contains("A gravação 42 está associada a esta interação.", text, StringComparison.Ordinal);
        Assert.Contains("1. No dia 14/03/2026 às 09:26:53 UTC o gateway recebeu o evento 7 (post_call_transcription) do endereço 203.0.113.9; a assinatura foi verificada (ingest:1).", text, StringComparison.Ordinal);
        Assert.Contains("modelo gpt-4o-mini, prompt v3, com 812 tokens de entrada e 144 de saída, a pedido de system:pipeline", text, StringComparison.Ordinal);
        Assert.Contains("como registro 3f1c0d55-0000-4000-8000-000000000001, a pedido de system:pipeline: entregue (crm-attempt:3)", text, StringComparison.Ordinal);
        Assert.Contains("key:k7 (auditor key), perfil auditor, consultou a conversa (conversation.read) a partir do endereço 198.51.100.4", text, StringComparison.Ordinal);
        Assert.Contains("eliminou os dados pessoais da conversa", text, StringComparison.Ordinal);
        Assert.DoesNotContain("98765", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EnglishSaysTheSameStepsInOrder()
    {
        var text = LineageTextRenderer.Render(Report(), LineageLanguage.All["en"]);

        Assert.Contains("A call from number +55 ** *****-**34 was received on 2026-03-14 at 09:26:53 UTC, registered under conversation conv_text_0001.", text, StringComparison.Ordinal);
        Assert.Contains("It lasted 5 minutes and 30 seconds.", text, StringComparison.Ordinal);
        var received = text.IndexOf("1. On 2026-03-14 at 09:26:53 UTC the gateway received event 7", StringComparison.Ordinal);
        var stored = text.IndexOf("2. On 2026-03-14 at 09:26:53 UTC event 7 was stored encrypted (ingest:2).", StringComparison.Ordinal);
        var exported = text.IndexOf("4. On 2026-03-14 at 09:32:53 UTC analysis version 1 was sent to the CRM (creatio)", StringComparison.Ordinal);
        var erased = text.IndexOf("6. On 2026-03-14 at 11:26:53 UTC key:k1 (admin key), role admin, erased", StringComparison.Ordinal);
        Assert.True(received >= 0 && stored > received && exported > stored && erased > exported, text);
        Assert.Contains(": delivered (crm-attempt:3)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RussianUsesItsOwnTableAndDateForm()
    {
        var text = LineageTextRenderer.Render(Report(), LineageLanguage.All["ru"]);

        Assert.Contains("Звонок с номера +55 ** *****-**34 принят 14.03.2026 в 09:26:53 UTC и зарегистрирован как разговор conv_text_0001.", text, StringComparison.Ordinal);
        Assert.Contains("Продолжительность: 5 мин 30 с.", text, StringComparison.Ordinal);
        Assert.Contains("шлюз принял событие 7 (post_call_transcription) с адреса 203.0.113.9; подпись проверена (ingest:1).", text, StringComparison.Ordinal);
        Assert.Contains("по запросу system:pipeline: доставлено (crm-attempt:3)", text, StringComparison.Ordinal);
        Assert.Contains("роль admin, удалил персональные данные разговора", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pt", "Nenhum dado pessoal desta conversa é mais mantido")]
    [InlineData("en", "No personal data of this conversation is held any more")]
    [InlineData("ru", "Персональные данные этого разговора больше не хранятся")]
    public void AfterAnErasureTheReportSaysNothingPersonalIsHeld(string lang, string sentence)
    {
        var text = LineageTextRenderer.Render(Report(held: false), LineageLanguage.All[lang]);

        Assert.Contains(sentence, text, StringComparison.Ordinal);
        Assert.DoesNotContain("**34", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryLanguageHasASentenceForEveryStepKindAndOutcome()
    {
        var pt = LineageLanguage.All["pt"];
        foreach (var language in LineageLanguage.All.Values)
        {
            Assert.Equal(pt.Steps.Keys.Order(), language.Steps.Keys.Order());
            Assert.Equal(pt.Outcomes.Keys.Order(), language.Outcomes.Keys.Order());
        }
        Assert.Equal(11, pt.Steps.Count);
    }

    [Theory]
    [InlineData("+55 11 98765-4334", "+55 ** *****-**34")]
    [InlineData("+375 (29) 123-45-67", "+375 ** ***-**67")]
    [InlineData("8 916 123-45-67", "+7 ** ****-**67")]
    [InlineData("not a phone", null)]
    public void PhoneNumbersAreMaskedButTheirCountryAndLastTwoDigits(string phone, string? masked) =>
        Assert.Equal(masked, PhoneMask.Mask(phone));
}
