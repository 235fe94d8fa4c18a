using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>
/// An analysis job's payload: <c>{"event_id": 42}</c>, with the requester's reason and identity on explicit
/// requests (both absent on the gateway's automatic jobs).
/// </summary>
public sealed record AnalyzeJobPayload(
    [property: JsonPropertyName("event_id")] long EventId,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonPropertyName("requested_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestedBy = null)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Null when the payload is not JSON or has no positive <c>event_id</c>.</summary>
    public static AnalyzeJobPayload? TryParse(string json)
    {
        try
        {
            var payload = JsonSerializer.Deserialize<AnalyzeJobPayload>(json);
            return payload is { EventId: > 0 } ? payload : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
