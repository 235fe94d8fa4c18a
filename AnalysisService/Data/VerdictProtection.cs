using System.Text.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// The verdict's personal fields are stored encrypted (AES-256-GCM envelopes inside the <c>result</c> JSON) with
/// the phone's keyed hash beside them for lookup: client name, phone and email, and the two free texts written from
/// the transcript (summary and recommendations), which name the client as often as not. The closed-vocabulary
/// fields stay plain so they can be filtered on (topic, intent, outcome, quality).
/// </summary>
public static class VerdictProtection
{
    private static readonly string[] PersonalFields = ["client_name", "phone", "email", "summary_ru", "recommendations"];

    public static (string Json, string? PhoneHash) Protect(Verdict verdict, PiiProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var json = JsonSerializer.SerializeToNode(verdict)!.AsObject();
        foreach (var field in PersonalFields)
        {
            if (json[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
            {
                json[field] = protector.Protect(text);
            }
        }
        return (json.ToJsonString(), protector.PhoneLookupHash(verdict.Phone));
    }

    public static Verdict Unprotect(string json, PiiProtector protector) =>
        JsonSerializer.Deserialize<Verdict>(protector.UnprotectStrings(JsonNode.Parse(json))!)!;
}
