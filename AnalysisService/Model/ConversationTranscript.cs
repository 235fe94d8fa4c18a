namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>
/// What the analyzers need from a <c>post_call_transcription</c> event: the turns, the call's language and
/// numbers, and ElevenLabs' own verdict (<c>analysis.call_successful</c>, <c>transcript_summary</c>) when sent.
/// </summary>
public sealed record ConversationTranscript(
    string ConversationId,
    IReadOnlyList<TranscriptTurn> Turns,
    string? Language = null,
    string? CallSuccessful = null,
    string? ElevenLabsSummary = null,
    string? CallerNumber = null,
    string? AgentNumber = null,
    int? DurationSeconds = null,
    string? TerminationReason = null)
{
    public IEnumerable<TranscriptTurn> UserTurns => Turns.Where(t => t.Role == TurnRole.User);

    public IEnumerable<TranscriptTurn> AgentTurns => Turns.Where(t => t.Role == TurnRole.Agent);
}
