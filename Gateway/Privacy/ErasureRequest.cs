namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// A durable erasure: what the gateway removed of its own, and each owner's report. Done only once every owner
/// has reported; the conversation ids are kept only until then (<see cref="ConversationIds"/> is empty after).
/// </summary>
public sealed record ErasureRequest(
    Guid Id,
    string Reason,
    bool IsDone,
    IReadOnlyList<string> ConversationIds,
    int ConversationCount,
    IReadOnlyDictionary<string, long> GatewayRemoved,
    IReadOnlyList<OwnerErasureReport> Owners,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public const string SubjectReason = "subject.erasure";
    public const string RetentionReason = "retention";

    public string State => IsDone ? "done" : "pending";

    /// <summary>The gateway's counts and every reported owner's, per store (store names are distinct across owners).</summary>
    public IReadOnlyDictionary<string, long> Removed()
    {
        var removed = new Dictionary<string, long>(GatewayRemoved, StringComparer.Ordinal);
        foreach (var (store, count) in Owners.SelectMany(o => o.Removed ?? new Dictionary<string, long>()))
        {
            removed[store] = removed.GetValueOrDefault(store) + count;
        }
        return removed;
    }
}
