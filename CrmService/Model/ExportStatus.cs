namespace VoiceAnalytics.CrmService.Model;

public enum ExportStatus
{
    /// <summary>Every configured sink took the lead.</summary>
    Exported,

    /// <summary>A sink failed; the job backs off and tries again.</summary>
    Failed,

    /// <summary>The breaker is open: nothing was sent, the job waits for the half-open time.</summary>
    CircuitOpen,
}
