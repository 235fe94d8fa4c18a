using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// The agent's quality, 1–5, from simple signals: a neutral 3, up for a greeting, politeness and a successful
/// call, down for a failed call, a frustrated caller, many interruptions or a call that ended in an error.
/// </summary>
public static class QualityRules
{
    public static int Score(ConversationTranscript transcript, bool? success, string agentText, string userText)
    {
        var score = 3.0;
        var firstAgentTurn = transcript.AgentTurns.FirstOrDefault()?.Message.ToLowerInvariant() ?? "";
        if (KeywordTables.Greeting.CountIn(firstAgentTurn) > 0)
        {
            score += 0.5;
        }
        if (KeywordTables.Thanks.CountIn(agentText) > 0)
        {
            score += 0.5;
        }
        score += success switch { true => 1, false => -1, null => 0 };
        if (KeywordTables.Frustration.CountIn(userText) > 0)
        {
            score -= 1.5;
        }
        if (transcript.AgentTurns.Count(t => t.Interrupted) >= 2)
        {
            score -= 0.5;
        }
        if (transcript.TerminationReason?.Contains("error", StringComparison.OrdinalIgnoreCase) == true)
        {
            score -= 1;
        }
        return (int)Math.Clamp(Math.Round(score, MidpointRounding.AwayFromZero), 1, 5);
    }
}
