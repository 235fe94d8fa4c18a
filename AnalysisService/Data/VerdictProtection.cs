using System.Text.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.Infrastructure.Privacy;

namespace VoiceAnalytics.AnalysisService.Data;

/// <summary>
/// The verdict's personal fields (client name, phone, email) are stored encrypted (AES-256-GCM envelopes inside
/// the <c>result</c> JSON) with the phone's keyed hash beside them for lookup; the other fields stay plain so
/// they can be filtered on (outcome, topic).
/// </summary>
public static class VerdictProtection
{
    private static readonly string[] PersonalFields = ["client_name", "phone", "email"];

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
