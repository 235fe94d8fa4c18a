namespace VoiceAnalytics.Protos.Jobs;

/// <summary>
/// The job queues between the services, declared once for producer and consumer: queue names, job kinds and
/// (beside this) the payload records. Attempts and backoff are not part of the contract: the consumer owns them.
/// </summary>
public static class PipelineJobs
{
    /// <summary>The analysis queue: the gateway (and AnalyzeNow) produce, the analysis service consumes.</summary>
    public static class Analysis
    {
        public const string Queue = "analysis";

        /// <summary>Enqueued by the gateway with every stored transcription: analyse once. Payload <see cref="AnalyzeJobPayload"/>.</summary>
        public const string Analyze = "analyze";

        /// <summary>An explicit request (AnalyzeNow): always runs, always adds a version. Payload <see cref="AnalyzeJobPayload"/>.</summary>
        public const string AnalyzeNow = "analyze_now";
    }

    /// <summary>The CRM export queue: the analysis service produces, the CRM service consumes.</summary>
    public static class Crm
    {
        public const string Queue = "crm";

        /// <summary>Export an analysis version as the conversation's lead. Payload <see cref="ExportJobPayload"/>.</summary>
        public const string Export = "export";
    }
}
