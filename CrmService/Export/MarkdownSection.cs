using System.Globalization;
using System.Text;
using VoiceAnalytics.CrmService.Creatio;
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
    /// The content without any section of the conversation (nor the blank line before each); the same instance
    /// when it has none.
    /// </summary>
    public static string RemoveAll(string content, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(content);
        var startMarker = StartMarker(conversationId) + "\n";
        var endMarker = EndMarker(conversationId) + "\n";
        var kept = new StringBuilder();
        var position = 0;
        while (content.IndexOf(startMarker, position, StringComparison.Ordinal) is var start and >= 0)
        {
            var end = content.IndexOf(endMarker, start, StringComparison.Ordinal);
            end = end < 0 ? content.Length : end + endMarker.Length;
            // The blank line that separated the section from the one before it goes too.
            var cut = start > 0 && content[start - 1] == '\n' && start - 1 >= position ? start - 1 : start;
            kept.Append(content, position, cut - position);
            position = end;
        }
        if (position == 0)
        {
            return content;
        }
        kept.Append(content, position, content.Length - position);
        return kept.ToString();
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

    // A value must never look like a section marker, or an erasure would cut the file in the wrong place.
    private static string Neutralise(string value) => value.Replace("<!--", "&lt;!--", StringComparison.Ordinal);
}
