using System.Text;

namespace VoiceAnalytics.Gateway.Privacy;

/// <summary>
/// Removes a conversation's section from the CRM service's Markdown mirror (CRM_MD_PATH, shared with the CRM
/// service: set it to the same absolute path for both). Follows the CRM's own file protocol: sections between
/// <c>&lt;!-- conversation: id --&gt;</c> markers, an exclusive lock on the sibling <c>.lock</c> file, and a rewrite
/// through a temporary file and a rename, so neither side ever loses the other's change.
/// </summary>
public sealed class MarkdownConversationEraser(IConfiguration configuration)
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public string FullPath => Path.GetFullPath(configuration["CRM_MD_PATH"] ?? configuration["Crm:MarkdownPath"] ?? "memory-bank/crm.md");

    /// <summary>Removes the sections of <paramref name="conversationIds"/>; returns how many were removed.</summary>
    public async Task<int> EraseAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        var path = FullPath;
        if (!File.Exists(path))
        {
            return 0;
        }
        await using var held = await LockAsync(path + ".lock", cancellationToken);
        var content = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        var removed = 0;
        foreach (var id in conversationIds)
        {
            // The mirror is append-only: a re-exported conversation has a section for every export.
            var found = false;
            for (var updated = RemoveSection(content, id); !ReferenceEquals(updated, content); updated = RemoveSection(content, id))
            {
                found = true;
                content = updated;
            }
            removed += found ? 1 : 0;
        }
        if (removed == 0)
        {
            return 0;
        }
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        return removed;
    }

    /// <summary>The content without the conversation's section (and the blank line after it); the same instance when absent.</summary>
    public static string RemoveSection(string content, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(content);
        var escaped = Uri.EscapeDataString(conversationId);
        var start = content.IndexOf($"<!-- conversation: {escaped} -->\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return content;
        }
        var endMarker = $"<!-- /conversation: {escaped} -->\n";
        var end = content.IndexOf(endMarker, start, StringComparison.Ordinal);
        end = end < 0 ? content.Length : end + endMarker.Length;
        if (end < content.Length && content[end] == '\n')
        {
            end++;
        }
        return string.Concat(content.AsSpan(0, start), content.AsSpan(end));
    }

    private static async Task<FileStream> LockAsync(string lockPath, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None takes flock(LOCK_EX) on Unix: the CRM service's MarkdownFileLock waits on the same file.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(15, cancellationToken);
            }
        }
    }
}
