using System.Text.Json;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// The payload of a <c>crm</c> queue <c>export</c> job: <c>{"analysis_id": N}</c>, and <c>"requested_by"</c> (an admin
/// key id) once someone asked for a re-export.
/// </summary>
public static class ExportPayload
{
    public const string Kind = "export";

    public static string Create(long analysisId) => JsonSerializer.Serialize(new Dictionary<string, long> { ["analysis_id"] = analysisId });

    public const string RequestedByField = "requested_by";

    /// <summary>The patch a re-export merges into the job's payload.</summary>
    public static string RequestedByPatch(string requestedBy) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { [RequestedByField] = requestedBy });

    /// <summary>Who asked for this export; the pipeline when nobody did.</summary>
    public static string RequestedBy(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(RequestedByField, out var value)
                && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!
                : ExportAttemptRecord.Pipeline;
        }
        catch (JsonException)
        {
            return ExportAttemptRecord.Pipeline;
        }
    }

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
