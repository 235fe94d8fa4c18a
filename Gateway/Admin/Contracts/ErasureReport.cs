using VoiceAnalytics.Gateway.Privacy;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// An erasure as it stands: <see cref="State"/> is <c>done</c> only once the gateway and every owner of the data
/// (analysis, CRM) have erased their part; until then it is <c>pending</c> and retried. <see cref="Removed"/> holds
/// the counts per store reported so far (the gateway's tables, spool lines, the owners' tables, Markdown sections).
/// The conversation ids are listed while the erasure is pending (a completed one keeps only their number).
/// <see cref="Remaining"/> is how many conversations the subject still matches once it finished (0: complete; more
/// only if conversations of that phone kept arriving while it ran).
/// </summary>
public sealed record ErasureReport(
    Guid RequestId,
    string Reason,
    string State,
    IReadOnlyList<string> ConversationIds,
    int ConversationCount,
    IReadOnlyDictionary<string, long> Removed,
    IReadOnlyDictionary<string, ErasureOwnerStatus> Owners,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int Remaining = 0)
{
    /// <summary>The report of <paramref name="request"/>; <paramref name="conversationIds"/> for a completed one (it no longer keeps them).</summary>
    public static ErasureReport From(ErasureRequest request, IReadOnlyList<string>? conversationIds = null, int remaining = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ErasureReport(
            request.Id, request.Reason, request.State, request.IsDone ? conversationIds ?? [] : request.ConversationIds, request.ConversationCount,
            request.Removed(),
            request.Owners.ToDictionary(o => o.Owner, o => new ErasureOwnerStatus(o.HasReported ? "done" : "pending", o.Removed, o.Attempts, o.LastError), StringComparer.Ordinal),
            request.CreatedAt, request.CompletedAt, remaining);
    }
}
