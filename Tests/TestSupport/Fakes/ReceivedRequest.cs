namespace VoiceAnalytics.TestSupport.Fakes;

/// <summary>One request the fake CRM received, with the lead's record Id when the body had one.</summary>
public sealed record ReceivedRequest(string Body, string? RecordId, string Referer, string Authorization, string ContentType)
{
    /// <summary>When the request arrived (end-to-end latency measurements).</summary>
    public DateTime ReceivedUtc { get; init; } = DateTime.UtcNow;
}
