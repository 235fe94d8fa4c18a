using System.Text.Json;
using System.Text.Json.Nodes;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Distinct post_call_transcription webhooks: the Russian fixture (about 7.5 KB, a real call's shape) with its own
/// conversation id and a fresh event timestamp.
/// </summary>
public static class WebhookBodies
{
    private static readonly Lazy<string> Template = new(() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "post_call_transcription_ru.json")));

    /// <summary>A conversation-id prefix unique to one run, so counts in a shared database are the run's own.</summary>
    public static string NewRunPrefix(string suite) => $"stress_{suite}_{Guid.NewGuid().ToString("N")[..8]}_";

    public static string ConversationId(string prefix, int index) => $"{prefix}{index:D6}";

    public static byte[] Transcription(string conversationId)
    {
        var root = JsonNode.Parse(Template.Value)!.AsObject();
        root["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        root["data"]!["conversation_id"] = conversationId;
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
