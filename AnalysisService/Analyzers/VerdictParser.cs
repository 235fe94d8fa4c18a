using System.Text.Json;
using VoiceAnalytics.AnalysisService.Analyzers.Offline;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>
/// Reads a model's JSON answer into a <see cref="Verdict"/> and validates it. Strict structured outputs make a
/// malformed answer rare, but OpenAI-compatible servers do not all honour the schema, so nothing is assumed.
/// </summary>
public static class VerdictParser
{
    /// <exception cref="InvalidVerdictException">Not JSON, a field missing or of the wrong type, or a rule broken.</exception>
    public static Verdict Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new InvalidVerdictException("Invalid verdict: the model returned no content.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new InvalidVerdictException("Invalid verdict: the model's answer is not JSON.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidVerdictException("Invalid verdict: the model's answer is not a JSON object.");
            }
            var errors = new List<string>();
            var verdict = new Verdict(
                Text(root, "topic", errors),
                Text(root, "intent", errors),
                Quality(root, errors),
                Text(root, "outcome", errors),
                Text(root, "summary_ru", errors),
                Text(root, "recommendations", errors),
                Text(root, "client_name", errors, nullable: true),
                // Formatting ("+375 29 123-45-67") is forgiven; a number without a country is not.
                Phone(root, errors));
            if (errors.Count > 0)
            {
                throw new InvalidVerdictException("Invalid verdict: " + string.Join("; ", errors) + ".");
            }
            VerdictValidator.EnsureValid(verdict);
            return verdict;
        }
    }

    private static string Text(JsonElement root, string name, List<string> errors, bool nullable = false)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            errors.Add($"{name} is missing");
            return "";
        }
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!.Trim();
        }
        if (value.ValueKind == JsonValueKind.Null && nullable)
        {
            return "";
        }
        errors.Add($"{name} must be a string");
        return "";
    }

    private static int Quality(JsonElement root, List<string> errors)
    {
        if (root.TryGetProperty("quality", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var quality))
        {
            return quality;
        }
        errors.Add(root.TryGetProperty("quality", out _) ? "quality must be an integer from 1 to 5" : "quality is missing");
        return 0;
    }

    private static string Phone(JsonElement root, List<string> errors)
    {
        var raw = Text(root, "phone", errors, nullable: true);
        if (raw.Length == 0)
        {
            return "";
        }
        return raw.StartsWith('+') && PhoneNormalizer.FromFormatted(raw) is { } e164 ? e164 : raw;
    }
}
