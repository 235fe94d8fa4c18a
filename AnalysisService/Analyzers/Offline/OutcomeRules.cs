using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// The outcome: ElevenLabs' own <c>call_successful</c> when it sent one (its evaluation criteria are the
/// agent owner's), otherwise inferred from what happened: contacts left or a follow-up promised.
/// </summary>
public static class OutcomeRules
{
    public sealed record Outcome(string Text, bool? Success);

    public static Outcome Decide(ConversationTranscript transcript, Contacts contacts, IReadOnlyList<string> followUps)
    {
        var details = new List<string>();
        if (contacts.Any)
        {
            details.Add("клиент оставил контакты");
        }
        details.AddRange(followUps);

        bool? success = transcript.CallSuccessful?.ToLowerInvariant() switch
        {
            "success" => true,
            "failure" => false,
            _ when details.Count > 0 => true,
            _ when transcript.UserTurns.Count() <= 1 => false,
            _ => null,
        };
        if (success == false && transcript.UserTurns.Count() <= 1)
        {
            details.Add("разговор прерван");
        }

        var head = success switch
        {
            true when transcript.CallSuccessful is null => "Успешно (по признакам разговора)",
            true => "Успешно",
            false => "Неуспешно",
            null => "Не определено",
        };
        return new Outcome(details.Count == 0 ? head : $"{head}: {string.Join(", ", details)}", success);
    }
}
