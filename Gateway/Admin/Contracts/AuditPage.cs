using VoiceAnalytics.Gateway.Audit;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>Audit records newest first; pass <see cref="NextBeforeId"/> as <c>beforeId</c> for the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? NextBeforeId);
