namespace VoiceAnalytics.Gateway.Admin.Contracts;

public sealed record StoredExport(string State, int Attempts, string? LastError, string CrmRecordId, string Sink, DateTimeOffset UpdatedAt, DateTimeOffset? ExportedAt);
