using System.Text.RegularExpressions;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// Finds an email address in what the caller said: written ("ivan.petrov@example.com", as speech-to-text
/// usually renders it) or spelled out ("ivan точка petrov собака example точка com", "john at mail dot com",
/// "maria arroba gmail ponto com").
/// </summary>
public static partial class EmailExtractor
{
    public static string? Find(string text)
    {
        if (Written().Match(text) is { Success: true } written)
        {
            return written.Value.TrimEnd('.').ToLowerInvariant();
        }
        var lower = text.ToLowerInvariant();
        // A spelled-out address needs an "at" word. Spoken() tries every position of the text, which costs most of
        // the offline analysis of a long turn; this search for its necessary part is far cheaper and rules out most turns.
        if (AtWord().IsMatch(lower) && Spoken().Match(lower) is { Success: true } spoken)
        {
            var local = Dots().Replace(spoken.Groups["local"].Value, ".");
            var domain = Dots().Replace(spoken.Groups["domain"].Value, ".");
            var address = $"{local}@{domain}".Replace(" ", "", StringComparison.Ordinal);
            return Written().IsMatch(address) ? address : null;
        }
        return null;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex Written();

    // Latin parts joined by spoken "dot"; the domain needs at least one dot so "look at that" is not an address.
    [GeneratedRegex(@"(?<local>[a-z0-9_\-]+(\s*(\.|\bточка\b|\bdot\b|\bponto\b)\s*[a-z0-9_\-]+)*)\s*(@|\bсобака\b|\bat\b|\barroba\b)\s*(?<domain>[a-z0-9\-]+(\s*(\.|\bточка\b|\bdot\b|\bponto\b)\s*[a-z0-9\-]+)+)")]
    private static partial Regex Spoken();

    // The separator between the local part and the domain in Spoken(), alone.
    [GeneratedRegex(@"@|\bсобака\b|\bat\b|\barroba\b")]
    private static partial Regex AtWord();

    [GeneratedRegex(@"\s*(\.|\bточка\b|\bdot\b|\bponto\b)\s*")]
    private static partial Regex Dots();
}
