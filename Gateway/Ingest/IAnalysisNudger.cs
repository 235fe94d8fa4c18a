namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Tells the analysis service that new jobs were committed. Best effort and never awaited by a webhook: the
/// queue's own wake-ups (LISTEN/NOTIFY, slow poll) pick up a job nobody nudged.
/// </summary>
public interface IAnalysisNudger
{
    void Nudge(string conversationId);
}
