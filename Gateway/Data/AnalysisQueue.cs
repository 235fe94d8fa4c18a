namespace VoiceAnalytics.Gateway.Data;

/// <summary>
/// The <c>analysis</c> queue as the gateway produces into it: one <c>analyze</c> job per stored transcription,
/// key = conversation id, payload <c>{"event_id": N}</c>, the webhook's traceparent.
/// </summary>
public static class AnalysisQueue
{
    public const string Name = "analysis";

    public const string Kind = "analyze";
}
