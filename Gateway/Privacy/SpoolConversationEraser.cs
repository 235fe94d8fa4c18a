using VoiceAnalytics.Gateway.Ingest;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// The outage spool's part of an erasure. The spool only ever holds events that are not in Postgres yet, and
/// is emptied by replaying them into Postgres; an erasure while it holds anything could be undone a moment
/// later by that replay. So an erasure waits for an empty spool (503 with Retry-After): once the spool is
/// empty, the database holds everything, and the database erasure is complete.
/// </summary>
public sealed class SpoolConversationEraser(EventSpool spool)
{
    /// <summary>Lines of the conversations removed from the spool (always 0: see the class remarks).</summary>
    /// <exception cref="SpoolBusyException">The spool holds events still to be replayed.</exception>
    public Task<long> EraseAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (spool.IsActive || HasContent(spool.FilePath) || HasContent(spool.FilePath + ".replay"))
        {
            throw new SpoolBusyException("The outage spool is being replayed into the database; erase again once it is empty.");
        }
        return Task.FromResult(0L);
    }

    private static bool HasContent(string path) => File.Exists(path) && new FileInfo(path).Length > 0;
}
