using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// The Markdown mirror of exports (CRM_MD_ENABLED / CRM_MD_PATH, by default memory-bank/crm.md): every export is
/// appended as one section between HTML-comment markers, so an export costs the same however many leads the file
/// holds; a batch of exports is appended in one write with one fsync. A re-export appends a newer section; a
/// conversation's last section is its current state.
/// <see cref="RemoveConversationsAsync"/> erases every section of the conversations (data-subject erasure) by rewriting
/// the file through a temporary file and a rename. Appends and rewrites both hold <see cref="MarkdownFileLock"/>,
/// so concurrent writers (threads or processes) never interleave or lose each other's sections.
/// </summary>
public sealed class MarkdownMirror(IOptions<CrmOptions> options, TimeProvider time)
{
    private const string Title = "# CRM exports\n";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public bool Enabled => options.Value.MarkdownEnabled;

    public string FullPath => Path.GetFullPath(options.Value.MarkdownPath);

    /// <summary>Appends the conversation's section, flushed to disk before this returns.</summary>
    public Task WriteAsync(Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return WriteAsync([lead], cancellationToken);
    }

    /// <summary>
    /// Appends the sections of several conversations in order, in one write and one fsync before this returns, so a
    /// batch of exports shares the cost of the flush. A crash before the exports are recorded leaves sections that
    /// their retries append again, which is harmless: a conversation's last section is its current state.
    /// </summary>
    public async Task WriteAsync(IReadOnlyCollection<Lead> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leads);
        if (leads.Count == 0)
        {
            return;
        }
        var exportedAt = time.GetUtcNow();
        var sections = new StringBuilder();
        foreach (var lead in leads)
        {
            // A blank line separates sections.
            sections.Append('\n').Append(MarkdownSection.Render(lead, exportedAt));
        }
        var path = FullPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var held = await MarkdownFileLock.AcquireAsync(path, LockTimeout, cancellationToken);

        await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        // A new file starts with the title.
        var text = stream.Length == 0 ? sections.Insert(0, Title).ToString() : sections.ToString();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Erases every section of the conversations in one rewrite of the file; returns how many of them had one.
    /// </summary>
    public async Task<int> RemoveConversationsAsync(IReadOnlyCollection<string> conversationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationIds);
        var path = FullPath;
        if (conversationIds.Count == 0 || !File.Exists(path))
        {
            return 0;
        }
        await using var held = await MarkdownFileLock.AcquireAsync(path, LockTimeout, cancellationToken);

        var current = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        var updated = current;
        var removed = 0;
        foreach (var conversationId in conversationIds)
        {
            var without = MarkdownSection.RemoveAll(updated, conversationId);
            removed += ReferenceEquals(without, updated) ? 0 : 1;
            updated = without;
        }
        if (removed == 0)
        {
            return 0;
        }
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(updated), cancellationToken);
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
}
