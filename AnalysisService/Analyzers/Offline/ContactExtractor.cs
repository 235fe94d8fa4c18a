using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// The caller's name, phone and email. The phone is the one the caller said; failing that, the number the
/// call came from (a lead with the caller's own number beats a lead without one).
/// </summary>
public static class ContactExtractor
{
    public static Contacts Extract(ConversationTranscript transcript)
    {
        var countryCode = PhoneNormalizer.CountryCodeOf(PhoneNormalizer.FromFormatted(transcript.CallerNumber))
            ?? PhoneNormalizer.CountryCodeOf(PhoneNormalizer.FromFormatted(transcript.AgentNumber))
            ?? PhoneNormalizer.CountryCodeForLanguage(transcript.Language);

        var spokenPhone = transcript.UserTurns
            .SelectMany(t => PhoneScanner.Scan(t.Message))
            .Select(c => PhoneNormalizer.ToE164(c, countryCode))
            .FirstOrDefault(p => p is not null);

        var email = transcript.UserTurns.Select(t => EmailExtractor.Find(t.Message)).FirstOrDefault(e => e is not null);

        return new Contacts(
            NameExtractor.Find(transcript),
            spokenPhone ?? PhoneNormalizer.FromFormatted(transcript.CallerNumber),
            email);
    }
}
