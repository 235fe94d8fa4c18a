namespace VoiceAnalytics.System.Tests.Support;

/// <summary>What became of one webhook: its final HTTP status (0: no answer at all), how many tries, each try's outcome.</summary>
public sealed record Delivery(string ConversationId, int Status, int Attempts, IReadOnlyList<string> Trail, TimeSpan FirstAttemptAt, TimeSpan AcknowledgedAt)
{
    public bool Accepted => Status == 200;
}
