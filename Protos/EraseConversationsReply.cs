namespace VoiceAnalytics.Protos.Common.V1;

public sealed partial class EraseConversationsReply
{
    /// <summary>The owner's counts per store.</summary>
    public static EraseConversationsReply Of(IReadOnlyDictionary<string, long> removed)
    {
        ArgumentNullException.ThrowIfNull(removed);
        var reply = new EraseConversationsReply();
        foreach (var (store, count) in removed)
        {
            reply.Removed[store] = count;
        }
        return reply;
    }
}
