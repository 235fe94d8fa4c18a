using System.Text.Json.Nodes;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

public sealed record StoredAnalysis(long Id, int Version, string Model, string PromptVersion, JsonNode? Result, string? Reason, DateTimeOffset CreatedAt);
