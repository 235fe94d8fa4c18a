namespace VoiceAnalytics.Gateway.Admin.Contracts;

public sealed record StoredJob(string Queue, long Id, string Kind, string State, int Attempts, string? LastError, DateTimeOffset CreatedAt);
