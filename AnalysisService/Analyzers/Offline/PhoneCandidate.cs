namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>A run of digits said or written together, and whether it started with "+" (or "плюс", "plus", "mais").</summary>
public readonly record struct PhoneCandidate(string Digits, bool International);
