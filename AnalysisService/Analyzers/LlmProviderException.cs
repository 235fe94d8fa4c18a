namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>The LLM provider failed the call (not a 429); the message carries the status, never the request.</summary>
public sealed class LlmProviderException(string message, Exception? inner = null) : Exception(message, inner);
