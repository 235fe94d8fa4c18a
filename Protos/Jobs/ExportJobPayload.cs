using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoiceAnalytics.Protos.Jobs;

/// <summary>
/// A CRM export job's payload: <c>{"analysis_id": N}</c>, the analysis version to export, and <c>"requested_by"</c>
/// (an admin key id) once someone asked for a re-export.
/// </summary>
public sealed record ExportJobPayload(
    [property: JsonPropertyName("analysis_id")] long AnalysisId,
    [property: JsonPropertyName("requested_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestedBy = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The patch a re-export merges into the job's payload (<c>payload || patch</c>): who asked for it.</summary>
    public static string RequestedByPatch(string requestedBy) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["requested_by"] = requestedBy });

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
