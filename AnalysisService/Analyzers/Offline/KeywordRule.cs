using System.Text.RegularExpressions;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// A Russian label and the word stems (Russian, English, Portuguese) that point to it. A stem matches at the
/// start of a word, so "цен" finds "цена", "цены" but not "оценка"; a phrase matches as written.
/// </summary>
public sealed class KeywordRule(string label, params string[] stems)
{
    private readonly Regex _pattern = new(
        @"(?<![\p{L}\d])(" + string.Join('|', stems.Select(Regex.Escape)) + ")",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public string Label { get; } = label;

    public int CountIn(string lowerText) => _pattern.Count(lowerText);
}
