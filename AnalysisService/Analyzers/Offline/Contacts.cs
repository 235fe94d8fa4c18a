namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>The caller's contact details found in a call; null when not found.</summary>
public sealed record Contacts(string? Name, string? Phone, string? Email)
{
    public bool Any => Name is not null || Phone is not null || Email is not null;
}
