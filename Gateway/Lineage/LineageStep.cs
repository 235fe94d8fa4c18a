namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// One step of a conversation's life. <see cref="Id"/> is the immutable id of the record it comes from, prefixed by
/// its owner (<c>ingest:</c>, <c>analysis:</c>, <c>crm-attempt:</c>, <c>audit:</c>); <see cref="Place"/> is the service
/// (and source) where it happened. <see cref="Details"/> hold ids, counts and names, never personal data.
/// </summary>
public sealed record LineageStep(
    string Id,
    string Kind,
    string Actor,
    DateTimeOffset Time,
    string Place,
    IReadOnlyDictionary<string, string?> Details);
