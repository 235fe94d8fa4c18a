namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>The conversation's lead export as the CRM service reports it (GetExportStatus).</summary>
public sealed record StoredExport(
    string State, int Attempts, string? LastError, string CrmRecordId, string Sink, DateTimeOffset UpdatedAt, DateTimeOffset? ExportedAt,
    long? AnalysisId = null);
