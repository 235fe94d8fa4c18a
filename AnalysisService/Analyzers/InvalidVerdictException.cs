namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>
/// The analyzer's answer is not a usable verdict. The message names the broken fields and rules only, never
/// their values: answers carry names and phone numbers.
/// </summary>
public sealed class InvalidVerdictException(string message) : Exception(message);
