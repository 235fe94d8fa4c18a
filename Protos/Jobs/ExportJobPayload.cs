using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoiceAnalytics.Protos.Jobs;

/// <summary>A CRM export job's payload: <c>{"analysis_id": N}</c>, the analysis version to export.</summary>
public sealed record ExportJobPayload([property: JsonPropertyName("analysis_id")] long AnalysisId)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Null when the payload is not JSON or has no positive <c>analysis_id</c>.</summary>
    public static ExportJobPayload? TryParse(string json)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<ExportJobPayload>(json);
            return payload is { AnalysisId: > 0 } ? payload : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
