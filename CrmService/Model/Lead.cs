using System.Globalization;
using System.Text.Json;
using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>One analysed conversation, as the CRM export sees it.</summary>
/// <remarks>Result: The analysis result object (topic, intent, quality, ..., client_name, phone).</remarks>
/// <remarks>AnalysisVersion: the analysis' version number (the lineage report names the version exported).</remarks>
public sealed record Lead(string ConversationId, string? AgentId, long EventId, long AnalysisId, JsonElement Result, int AnalysisVersion = 0)
{
    /// <summary>The text a source names, or null when it is missing or empty.</summary>
    public string? Value(string source)
    {
        var text = source switch
        {
            LeadSources.ConversationId => ConversationId,
            LeadSources.AgentId => AgentId,
            LeadSources.EventId => EventId.ToString(CultureInfo.InvariantCulture),
            LeadSources.AnalysisId => AnalysisId.ToString(CultureInfo.InvariantCulture),
            _ => Result.ValueKind == JsonValueKind.Object && Result.TryGetProperty(source, out var value) ? Text(value) : null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    // Analyzers answer recommendations as a string or a list; numbers (quality) are sent as their JSON text.
    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => string.Join("\n", value.EnumerateArray().Select(Text).Where(t => !string.IsNullOrWhiteSpace(t))),
        JsonValueKind.Object => value.GetRawText(),
        _ => null,
    };
}
