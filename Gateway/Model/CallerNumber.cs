using System.Text.Json;

namespace VoiceAnalytics.Gateway.Model;

/// <summary>
/// Where an ElevenLabs event carries the caller's number: <c>data.metadata.phone_call.external_number</c>, else the
/// <c>system__caller_id</c> dynamic variable. For a parsed document; the webhook parser finds the same two while it
/// streams the body.
/// </summary>
public static class CallerNumber
{
    public static string? Of(JsonElement eventRoot)
    {
        var data = eventRoot.ValueKind == JsonValueKind.Object && eventRoot.TryGetProperty("data", out var d) ? d : eventRoot;
        return Text(data, "metadata", "phone_call", "external_number")
            ?? Text(data, "conversation_initiation_client_data", "dynamic_variables", "system__caller_id");
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
