namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>What the fake OpenAI server answers to one request.</summary>
public sealed record FakeLlmReply(int Status, string? Content = null, IReadOnlyDictionary<string, string>? Headers = null, int PromptTokens = 321, int CompletionTokens = 123)
{
    public const string ValidVerdict = """
        {"topic":"Стоимость подключения","intent":"Получить коммерческое предложение","quality":5,
         "outcome":"Успешно: клиент оставил контакты","summary_ru":"Клиент узнал стоимость подключения офиса и оставил контакты.",
         "recommendations":"Отправить КП сегодня.","client_name":"Иван Петров","phone":"+375 29 123-45-67"}
        """;

    public static FakeLlmReply Ok(string content = ValidVerdict) => new(200, content);

    public static FakeLlmReply RateLimited(string retryAfterSeconds) => new(429, Headers: new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds });
}
