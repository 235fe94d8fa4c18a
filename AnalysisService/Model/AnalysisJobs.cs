namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>The analysis queue's job kinds and the CRM job this service hands on.</summary>
public static class AnalysisJobs
{
    public const string Queue = "analysis";

    /// <summary>Enqueued by the gateway with every stored transcription: analyse once (skipped when ANALYZE_AUTO=false).</summary>
    public const string Analyze = "analyze";

    /// <summary>An explicit request (AnalyzeNow): always runs, always adds a new analysis version.</summary>
    public const string AnalyzeNow = "analyze_now";

    public const string CrmQueue = "crm";

    public const string CrmExport = "export";

    /// <summary>The CRM export job's payload: the analysis version to export.</summary>
    public static string ExportPayload(long analysisId) => System.Text.Json.JsonSerializer.Serialize(new { analysis_id = analysisId });

    /// <summary>The event type the analysis reads.</summary>
    public const string TranscriptionEvent = "post_call_transcription";
}
