namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>A validated verdict and what it cost to get it (tokens and dollars are zero offline).</summary>
public sealed record AnalyzerResult(
    Verdict Verdict,
    string Model,
    string PromptVersion,
    int InputTokens,
    int OutputTokens,
    decimal CostUsd);
