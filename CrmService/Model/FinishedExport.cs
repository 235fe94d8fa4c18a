namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// How one export attempt ended, as a batch records it: the conversation's new <see cref="State"/>, whether the try
/// counts as an attempt, the outcome, and the attempt's lineage record.
/// </summary>
public sealed record FinishedExport(Lead Lead, Guid RecordId, string State, bool SpentAttempt, ExportOutcome Outcome, ExportAttemptRecord Attempt);
