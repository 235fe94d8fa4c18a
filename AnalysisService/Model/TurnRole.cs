namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>Who spoke a turn: the voice agent or the caller.</summary>
public enum TurnRole
{
    Agent,
    User,
}
