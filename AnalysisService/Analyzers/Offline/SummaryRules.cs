using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// summary_ru is always Russian: ElevenLabs' own summary when it is Russian already, otherwise a short
/// Russian sentence built from the other fields (a foreign summary is not pasted in).
/// </summary>
public static class SummaryRules
{
    public const int MaxLength = 1000;

    public static string Write(ConversationTranscript transcript, string topic, string intent, string outcome, Contacts contacts)
    {
        if (transcript.ElevenLabsSummary is { Length: > 0 } summary && IsMostlyCyrillic(summary))
        {
            return summary.Length <= MaxLength ? summary.Trim() : summary[..MaxLength].Trim() + "…";
        }

        var left = new List<string>();
        if (contacts.Name is not null)
        {
            left.Add("имя");
        }
        if (contacts.Phone is not null)
        {
            left.Add("телефон");
        }
        if (contacts.Email is not null)
        {
            left.Add("email");
        }
        var contactsText = left.Count == 0 ? "контакты не оставлены" : "оставлены контакты: " + string.Join(", ", left);
        var duration = transcript.DurationSeconds is { } seconds ? $", {seconds} с" : "";
        return $"Клиент обратился по теме «{topic}», намерение: {intent.ToLowerInvariant()}. " +
               $"Итог: {outcome}. {char.ToUpperInvariant(contactsText[0])}{contactsText[1..]}. " +
               $"Разговор: {transcript.Turns.Count} реплик{duration}.";
    }

    public static bool IsMostlyCyrillic(string text)
    {
        var letters = text.Count(char.IsLetter);
        var cyrillic = text.Count(c => c is >= '\u0400' and <= '\u04FF');
        return letters > 0 && cyrillic * 2 > letters;
    }
}
