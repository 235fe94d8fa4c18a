using VoiceAnalytics.CrmService.Creatio;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>What one export attempt came to.</summary>
/// <remarks>Sink: creatio | markdown | creatio+markdown | none. RetryAt: with CircuitOpen, when to try again.
/// Response: the CRM's verdict when it was called.</remarks>
public sealed record ExportOutcome(ExportStatus Status, CreatioRequest Request, string Sink, string? Error,
    DateTimeOffset? RetryAt = null, CreatioResult? Response = null);

/// <summary>How one export attempt ended.</summary>
public enum ExportStatus
{
    /// <summary>Every configured sink took the lead.</summary>
    Exported,

    /// <summary>A sink failed; the job backs off and tries again.</summary>
    Failed,

    /// <summary>The breaker is open: nothing was sent, the job waits for the half-open time.</summary>
    CircuitOpen,
}
