namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>A stored webhook event and whether an analysis of it exists already, read together in one query.</summary>
public sealed record EventForAnalysis(StoredEvent Event, bool AlreadyAnalysed);
