namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// Search filters. Sent as a POST body rather than a query string because it may carry a phone number, and
/// URLs end up in access logs and proxies. <see cref="Before"/> pages: the last item's <c>FirstReceivedAt</c>.
/// </summary>
public sealed record ConversationSearch(
    string? AgentId = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Outcome = null,
    string? Phone = null, int? Limit = null, DateTimeOffset? Before = null);
