using System.Globalization;
using System.Text;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>Renders one conversation's Markdown section and finds it again by its markers.</summary>
public static class MarkdownSection
{
    public static string StartMarker(string conversationId) => $"<!-- conversation: {Uri.EscapeDataString(conversationId)} -->";

    public static string EndMarker(string conversationId) => $"<!-- /conversation: {Uri.EscapeDataString(conversationId)} -->";

    public static string Render(Lead lead, DateTimeOffset exportedAt)
    {
        var contact = string.Join(", ", new[] { lead.Value(LeadSources.ClientName), lead.Value(LeadSources.Phone), lead.Value(LeadSources.Email) }
            .Where(part => part is not null));

        var text = new StringBuilder();
        text.Append(StartMarker(lead.ConversationId)).Append('\n');
        text.Append("## ").Append(Inline(lead.ConversationId)).Append("\n\n");
        Line(text, "Time", exportedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Line(text, "Agent", lead.AgentId);
        Line(text, "Topic", lead.Value(LeadSources.Topic));
        Line(text, "Intent", lead.Value(LeadSources.Intent));
        Line(text, "Quality", lead.Value(LeadSources.Quality));
        Line(text, "Outcome", lead.Value(LeadSources.Outcome));
        Line(text, "Contact", contact);
        Line(text, "Lead Id", LeadRecordId.For(lead.ConversationId).ToString("D"));
        Block(text, "Summary", lead.Value(LeadSources.Summary));
        Block(text, "Recommendations", lead.Value(LeadSources.Recommendations));
        text.Append('\n').Append(EndMarker(lead.ConversationId)).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Replaces the conversation's section (or removes it when <paramref name="replacement"/> is null); a new
    /// section is appended at the end.
    /// </summary>
    public static string Replace(string content, string conversationId, string? replacement)
    {
        var start = content.IndexOf(StartMarker(conversationId) + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            if (replacement is null)
            {
                return content;
            }
            var separator = content.EndsWith("\n\n", StringComparison.Ordinal) ? "" : content.EndsWith('\n') ? "\n" : "\n\n";
            return content + separator + replacement;
        }

        var endMarker = EndMarker(conversationId) + "\n";
        var end = content.IndexOf(endMarker, start, StringComparison.Ordinal);
        end = end < 0 ? content.Length : end + endMarker.Length;
        if (replacement is null && end < content.Length && content[end] == '\n')
        {
            end++; // the blank line that separated it from the next section
        }
        return string.Concat(content.AsSpan(0, start), replacement ?? "", content.AsSpan(end));
    }

    private static void Line(StringBuilder text, string label, string? value) =>
        text.Append("- **").Append(label).Append(":** ").Append(Inline(value ?? "—")).Append('\n');

    private static void Block(StringBuilder text, string label, string? value)
    {
        if (value is null)
        {
            return;
        }
        text.Append("\n**").Append(label).Append("**\n\n").Append(Neutralise(value.Replace("\r\n", "\n", StringComparison.Ordinal))).Append('\n');
    }

    private static string Inline(string value) =>
        Neutralise(value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal));

    // A value must never look like a section marker, or a later replace would cut the file in the wrong place.
    private static string Neutralise(string value) => value.Replace("<!--", "&lt;!--", StringComparison.Ordinal);
}
