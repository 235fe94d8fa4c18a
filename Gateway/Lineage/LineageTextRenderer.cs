using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// A lineage report as readable sentences in one language: the call first (masked number, agent, duration,
/// recordings, as a call detail record reads), then one sentence per step in time order. A placeholder a step does
/// not fill reads as "—".
/// </summary>
public static partial class LineageTextRenderer
{
    public static string Render(LineageReport report, LineageLanguage language)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(language);
        var text = new StringBuilder();
        var conversation = new Dictionary<string, string?> { ["conversation"] = report.ConversationId };
        text.AppendLine(Fill(language.Title, conversation)).AppendLine();

        var call = report.Call;
        var registeredAt = call.StartedAt ?? report.Steps.FirstOrDefault()?.Time;
        if (registeredAt is { } at)
        {
            var values = new Dictionary<string, string?>(conversation) { ["phone"] = call.MaskedCallerNumber };
            AddTime(values, at, language);
            text.Append(Fill(call.MaskedCallerNumber is null ? language.CallWithoutNumber : language.CallSentence, values));
            if (call.AgentId is { } agent)
            {
                text.Append(' ').Append(Fill(language.AgentSentence, new Dictionary<string, string?> { ["agent"] = agent }));
            }
            if (call.DurationSeconds is { } seconds)
            {
                text.Append(' ').Append(Fill(language.DurationSentence, new Dictionary<string, string?>
                {
                    ["minutes"] = (seconds / 60).ToString(CultureInfo.InvariantCulture),
                    ["seconds"] = (seconds % 60).ToString(CultureInfo.InvariantCulture),
                }));
            }
            if (call.RecordingIds.Count > 0)
            {
                text.Append(' ').Append(Fill(language.RecordingSentence, new Dictionary<string, string?>
                {
                    ["recordings"] = string.Join(", ", call.RecordingIds.Select(id => id.ToString(CultureInfo.InvariantCulture))),
                }));
            }
            text.AppendLine();
        }
        if (!call.Held)
        {
            text.AppendLine(language.NothingHeld);
        }
        if (report.Unavailable.Count > 0)
        {
            text.AppendLine(Fill(language.Unavailable, new Dictionary<string, string?> { ["services"] = string.Join(", ", report.Unavailable) }));
        }
        text.AppendLine();

        var number = 0;
        foreach (var step in report.Steps)
        {
            if (!language.Steps.TryGetValue(step.Kind, out var template))
            {
                continue;
            }
            var values = new Dictionary<string, string?>(step.Details) { ["id"] = step.Id, ["actor"] = step.Actor };
            if (values.TryGetValue("outcome", out var outcome) && outcome is not null && language.Outcomes.TryGetValue(outcome, out var word))
            {
                values["outcome"] = word;
            }
            AddTime(values, step.Time, language);
            text.Append(++number).Append(". ").AppendLine(Fill(template, values));
        }
        return text.ToString();
    }

    private static void AddTime(Dictionary<string, string?> values, DateTimeOffset at, LineageLanguage language)
    {
        values["date"] = at.UtcDateTime.ToString(language.DateFormat, CultureInfo.InvariantCulture);
        values["time"] = at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string?> values) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) && !string.IsNullOrEmpty(value) ? value : "—");

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex Placeholder();
}
