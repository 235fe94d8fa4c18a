using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoiceAnalytics.Protos.Jobs;

/// <summary>
/// An analysis job's payload: <c>{"event_id": 42}</c>, with the requester's reason and identity on explicit
/// requests (both absent on the gateway's automatic jobs, which mean "webhook" by "system:pipeline").
/// </summary>
public sealed record AnalyzeJobPayload(
    [property: JsonPropertyName(AnalyzeJobPayload.EventIdField)] long EventId,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonPropertyName("requested_by"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RequestedBy = null)
{
    /// <summary>The field a producer that builds the payload in SQL (the gateway's batch insert) writes.</summary>
    public const string EventIdField = "event_id";

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
