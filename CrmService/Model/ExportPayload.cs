using System.Text.Json;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>The payload of a <c>crm</c> queue <c>export</c> job: <c>{"analysis_id": N}</c>.</summary>
public static class ExportPayload
{
    public const string Kind = "export";

    public static string Create(long analysisId) => JsonSerializer.Serialize(new Dictionary<string, long> { ["analysis_id"] = analysisId });

    public static bool TryRead(string json, out long analysisId)
    {
        analysisId = 0;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("analysis_id", out var value)
                && value.ValueKind == JsonValueKind.Number
                && value.TryGetInt64(out analysisId)
                && analysisId > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
