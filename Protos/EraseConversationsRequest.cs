namespace VoiceAnalytics.Protos.Common.V1;

public sealed partial class EraseConversationsRequest
{
    /// <summary>A request to erase <paramref name="conversationIds"/>, for <paramref name="reason"/> ("subject.erasure", "retention").</summary>
    public static EraseConversationsRequest For(IEnumerable<string> conversationIds, string reason)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        var request = new EraseConversationsRequest { Reason = reason };
        request.ConversationIds.Add(conversationIds);
        return request;
    }

    /// <summary>The distinct ids named; empty when none is named or one is blank (an invalid request).</summary>
    public IReadOnlyList<string> ValidConversationIds() =>
        ConversationIds.Count == 0 || ConversationIds.Any(string.IsNullOrWhiteSpace) ? [] : [.. ConversationIds.Distinct(StringComparer.Ordinal)];
}
