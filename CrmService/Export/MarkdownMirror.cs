using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// The Markdown mirror of exports (CRM_MD_ENABLED / CRM_MD_PATH, the seed's memory-bank/crm.md): one section
/// per conversation between HTML-comment markers. A re-export replaces the conversation's section in place, and
/// <see cref="RemoveConversationAsync"/> erases it (data-subject erasure). Every change rewrites the file
/// through a temporary file and a rename, under <see cref="MarkdownFileLock"/>, so readers never see half a
/// file and concurrent writers (threads or processes) never lose each other's sections.
/// </summary>
public sealed class MarkdownMirror(IOptions<CrmOptions> options, TimeProvider time)
{
    private const string Title = "# CRM exports\n";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public bool Enabled => options.Value.MarkdownEnabled;

    public string FullPath => Path.GetFullPath(options.Value.MarkdownPath);

    /// <summary>Writes (or replaces) the conversation's section.</summary>
    public Task WriteAsync(Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var section = MarkdownSection.Render(lead, time.GetUtcNow());
        return UpdateAsync(content => MarkdownSection.Replace(content, lead.ConversationId, section), cancellationToken);
    }

    /// <summary>Erases the conversation's section; true when there was one.</summary>
    public async Task<bool> RemoveConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        if (!File.Exists(FullPath))
        {
            return false;
        }
        var removed = false;
        await UpdateAsync(content =>
        {
            var updated = MarkdownSection.Replace(content, conversationId, replacement: null);
            removed = updated != content;
            return updated;
        }, cancellationToken);
        return removed;
    }

    private async Task UpdateAsync(Func<string, string> change, CancellationToken cancellationToken)
    {
        var path = FullPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var held = await MarkdownFileLock.AcquireAsync(path, LockTimeout, cancellationToken);

        var current = File.Exists(path) ? await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken) : "";
        var updated = change(current.Length == 0 ? Title : current);
        if (updated == current)
        {
            return;
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
    }
}
