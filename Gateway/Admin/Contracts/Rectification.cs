namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// Corrected analysis fields (any of the seed's eight; null = unchanged). Stored as a new analysis version with
/// reason <c>rectification</c>, then exported to the CRM again.
/// </summary>
public sealed record Rectification(
    string? Topic = null, string? Intent = null, int? Quality = null, string? Outcome = null, string? SummaryRu = null,
    string? Recommendations = null, string? ClientName = null, string? Phone = null);
