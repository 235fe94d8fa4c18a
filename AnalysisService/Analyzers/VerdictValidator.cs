using VoiceAnalytics.AnalysisService.Analyzers.Offline;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>
/// What a verdict must be before it is stored: the required texts present and bounded, quality an integer
/// 1–5, the phone E.164 or empty, summary_ru actually Russian. An invalid answer fails the attempt.
/// </summary>
public static class VerdictValidator
{
    public const int MaxShortField = 200;
    public const int MaxOutcome = 500;
    public const int MaxLongField = 2000;

    public static IReadOnlyList<string> Check(Verdict verdict)
    {
        var errors = new List<string>();
        Required(errors, "topic", verdict.Topic, MaxShortField);
        Required(errors, "intent", verdict.Intent, MaxShortField);
        Required(errors, "outcome", verdict.Outcome, MaxOutcome);
        Required(errors, "summary_ru", verdict.SummaryRu, MaxLongField);
        Required(errors, "recommendations", verdict.Recommendations, MaxLongField);
        if (verdict.Quality is < 1 or > 5)
        {
            errors.Add("quality must be an integer from 1 to 5");
        }
        if (verdict.ClientName is null || verdict.ClientName.Length > MaxShortField)
        {
            errors.Add($"client_name must be a string of at most {MaxShortField} characters (empty when unknown)");
        }
        if (verdict.Phone is null || (verdict.Phone.Length > 0 && !PhoneNormalizer.IsE164(verdict.Phone)))
        {
            errors.Add("phone must be E.164 (+ and 8 to 15 digits) or empty");
        }
        if (!string.IsNullOrWhiteSpace(verdict.SummaryRu) && !SummaryRules.IsMostlyCyrillic(verdict.SummaryRu))
        {
            errors.Add("summary_ru must be written in Russian");
        }
        return errors;
    }

    /// <exception cref="InvalidVerdictException">With every broken rule listed.</exception>
    public static void EnsureValid(Verdict verdict)
    {
        var errors = Check(verdict);
        if (errors.Count > 0)
        {
            throw new InvalidVerdictException("Invalid verdict: " + string.Join("; ", errors) + ".");
        }
    }

    private static void Required(List<string> errors, string name, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{name} is required");
        }
        else if (value.Length > maxLength)
        {
            errors.Add($"{name} is longer than {maxLength} characters");
        }
    }
}
