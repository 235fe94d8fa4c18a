using System.Text.Json.Nodes;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>One analysis version as the analysis service reports it (ListAnalyses), the verdict decrypted.</summary>
public sealed record StoredAnalysis(
    long Id, int Version, string Model, string PromptVersion, JsonNode? Result, string? Reason, DateTimeOffset CreatedAt,
    string? RequestedBy = null, long EventId = 0);
