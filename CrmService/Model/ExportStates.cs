namespace VoiceAnalytics.CrmService.Model;

/// <summary>States of <c>crm.exports</c>, as the gRPC API reports them.</summary>
public static class ExportStates
{
    /// <summary>Waiting for its (first or next) attempt, including a back-off after a failure.</summary>
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";

    /// <summary>Gave up after the queue's last attempt; RetryExport queues it again.</summary>
    public const string Dead = "dead";
}
