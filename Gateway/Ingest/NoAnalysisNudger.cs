namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>Used when no analysis address is configured (<c>services__analysis__grpc__0</c>): the queue alone wakes the workers.</summary>
public sealed class NoAnalysisNudger : IAnalysisNudger
{
    public void Nudge(string conversationId)
    {
    }
}
