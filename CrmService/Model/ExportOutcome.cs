namespace VoiceAnalytics.CrmService.Model;

/// <summary>What one export attempt came to.</summary>
/// <remarks>Sink: creatio | markdown | creatio+markdown | none. RetryAt: with CircuitOpen, when to try again.
/// Response: the CRM's verdict when it was called.</remarks>
public sealed record ExportOutcome(ExportStatus Status, CreatioRequest Request, string Sink, string? Error,
    DateTimeOffset? RetryAt = null, CreatioResult? Response = null);
