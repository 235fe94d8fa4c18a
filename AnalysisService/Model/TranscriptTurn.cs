namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>One spoken turn of a call; tool calls and results are dropped when the transcript is read.</summary>
public sealed record TranscriptTurn(TurnRole Role, string Message, int? TimeInCallSeconds = null, bool Interrupted = false);
