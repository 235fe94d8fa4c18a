using System.Text.Json.Serialization;

namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>
/// The eight-field verdict, stored as <c>analysis.analyses.result</c> with these snake_case names.
/// <see cref="Email"/> is not one of the eight: it is found by rules in the transcript (whatever the analyzer)
/// and stored beside them because the CRM lead has an Email contact field.
/// </summary>
public sealed record Verdict(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("intent")] string Intent,
    [property: JsonPropertyName("quality")] int Quality,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("summary_ru")] string SummaryRu,
    [property: JsonPropertyName("recommendations")] string Recommendations,
    [property: JsonPropertyName("client_name")] string ClientName,
    [property: JsonPropertyName("phone")] string Phone,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null);
