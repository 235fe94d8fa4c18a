using System.Text;
using System.Text.Json;
using VoiceAnalytics.Gateway.Ingest;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// The outage spool's part of an erasure. The spool only ever holds events that are not in Postgres yet, and
/// is emptied by replaying them into Postgres; an erasure while it holds anything could be undone a moment
/// later by that replay. So an erasure waits for an empty spool (503 with Retry-After): once the spool is
/// empty, the database holds everything, and the database erasure is complete. The file of lines the replay
/// set aside (Postgres refused them) is never replayed, so the erased conversations' lines are removed from it.
/// </summary>
public sealed class SpoolConversationEraser(EventSpool spool)
{
    /// <summary>Lines of the conversations removed from the spool's files (the set-aside file only: see the class remarks).</summary>
    /// <exception cref="SpoolBusyException">The spool holds events still to be replayed.</exception>
    public async Task<long> EraseAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        cancellationToken.ThrowIfCancellationRequested();
        if (spool.IsActive || HasContent(spool.FilePath) || HasContent(spool.FilePath + ".replay"))
        {
            throw new SpoolBusyException("The outage spool is being replayed into the database; erase again once it is empty.");
        }
        var rejected = spool.RejectedFilePath;
        if (!File.Exists(rejected))
        {
            return 0;
        }

        var erased = conversationIds.ToHashSet(StringComparer.Ordinal);
        var temporary = $"{rejected}.{Guid.NewGuid():N}.tmp";
        long removed = 0;
        await using (var output = new FileStream(temporary, EventSpool.OwnerOnly(FileMode.CreateNew, FileAccess.Write)))
        {
            await foreach (var line in EventSpool.ReadLinesAsync(rejected, cancellationToken))
            {
                if (Mentions(line.Span, erased))
                {
                    removed++;
                    continue;
                }
                await output.WriteAsync(line, cancellationToken);
                output.WriteByte((byte)'\n');
            }
            output.Flush(flushToDisk: true);
        }
        File.Move(temporary, rejected, overwrite: true);
        return removed;
    }

    // A damaged line cannot be read as an event: it goes if it contains one of the ids anywhere.
    private static bool Mentions(ReadOnlySpan<byte> line, HashSet<string> conversationIds)
    {
        try
        {
            return conversationIds.Contains(SpoolCodec.Read(line).ConversationId);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            var text = Encoding.UTF8.GetString(line);
            return conversationIds.Any(id => text.Contains(id, StringComparison.Ordinal));
        }
    }

    private static bool HasContent(string path) => File.Exists(path) && new FileInfo(path).Length > 0;
}
