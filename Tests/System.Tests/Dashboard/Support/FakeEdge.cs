using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>What the fake OpenAI and the fake Creatio answer, in their real formats.</summary>
public static class FakeEdge
{
    public const string CreatioPath = "/0/ServiceModel/GeneratedObjectWebFormService.svc/SaveWebFormObjectData";

    /// <summary>Creatio's success answer (fixtures/creatio/response_ok.json).</summary>
    public const string CreatioOk = """{"SaveWebFormObjectDataResult":"{resultMessage:\"\",resultCode:0}"}""";

    private const string Verdict = """
        {"topic":"Office connection price","intent":"Get a quote","quality":5,
         "outcome":"Success: the client left contacts","summary_ru":"Клиент узнал стоимость подключения и оставил контакты.",
         "recommendations":"Send the quote today.","client_name":"Ivan Petrov","phone":"+375 29 123-45-67"}
        """;

    /// <summary>An OpenAI chat completion whose message is a valid analysis verdict.</summary>
    public static string ChatCompletion() => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-dashboard",
        @object = "chat.completion",
        created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        model = "gpt-4o-mini",
        choices = new[] { new { index = 0, message = new { role = "assistant", content = Verdict, refusal = (string?)null }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 321, completion_tokens = 123, total_tokens = 444 },
    });

    /// <summary>The English web-widget transcription webhook with its conversation id replaced.</summary>
    public static byte[] TranscriptionWebhook(string conversationId)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Dashboard", "Fixtures", "post_call_transcription_web_en.json"));
        var node = JsonNode.Parse(json)!;
        node["data"]!["conversation_id"] = conversationId;
        node["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }
}
