using System.Text.Json;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>Leads shaped like fixtures/creatio/request_example.json.</summary>
public static class Leads
{
    public const string ConversationId = "conv_9001k1zph3fkeh5s8xg9z90swaqa";
    public const string AgentId = "agent_7101k5zvyjhmfg983brhmhkd98n6";

    public static JsonElement FixtureResult() => JsonDocument.Parse("""
        {
          "topic": "Подключение офиса",
          "intent": "Запрос коммерческого предложения",
          "quality": 5,
          "outcome": "Квалифицирован",
          "summary_ru": "Иван Петров интересуется подключением офиса на 20 рабочих мест.",
          "recommendations": "Отправить КП сегодня.",
          "client_name": "Иван Петров",
          "phone": "+375291234567",
          "email": "ivan.petrov@example.com"
        }
        """).RootElement.Clone();

    public static Lead Fixture(string conversationId = ConversationId) =>
        new(conversationId, AgentId, 1042, 7, FixtureResult());

    public static Lead With(string conversationId, string json, string? agentId = AgentId, long eventId = 1) =>
        new(conversationId, agentId, eventId, 1, JsonDocument.Parse(json).RootElement.Clone());
}
