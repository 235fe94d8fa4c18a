namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>One job as <see cref="JobHistory"/> lists it.</summary>
public sealed record JobRecord(string Queue, long Id, string Kind, string State, int Attempts, string? LastError, DateTimeOffset CreatedAt);
