namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// A service that owns part of a conversation's data (analysis, crm) did not answer, or has no address
/// configured, where an incomplete answer would be wrong (a search by phone, a subject request).
/// </summary>
public sealed class OwnerUnavailableException(string owner)
    : Exception($"The {owner} service did not answer; try again later.")
{
    public string Owner { get; } = owner;
}
