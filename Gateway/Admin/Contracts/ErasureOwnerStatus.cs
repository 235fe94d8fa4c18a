namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>One owner's part of an erasure: <c>done</c> with its counts per store, or <c>pending</c> with its attempts and last error (a gRPC status name).</summary>
public sealed record ErasureOwnerStatus(string State, IReadOnlyDictionary<string, long>? Removed, int Attempts, string? LastError);
