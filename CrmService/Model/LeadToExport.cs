namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// An analysis as the analysis service hands it over for export: the lead, the traceparent its webhook started
/// (the export continues that trace), and whether a re-analysis of the same event superseded it.
/// </summary>
public sealed record LeadToExport(Lead Lead, string? TraceParent, bool Superseded);
