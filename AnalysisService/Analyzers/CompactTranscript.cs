using System.Text;
using System.Text.RegularExpressions;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers;

/// <summary>
/// The transcript as the LLM sees it: one line per turn ("A:" agent, "U:" caller), consecutive turns of one
/// speaker merged, whitespace collapsed, tool calls and results already dropped by <see cref="TranscriptReader"/>.
/// A short header gives the language, duration and ElevenLabs' own verdict. Very long calls keep their
/// beginning and end, where names, numbers and outcomes are said.
/// </summary>
public static partial class CompactTranscript
{
    public const int DefaultMaxChars = 24_000;

    public static string Render(ConversationTranscript transcript, int maxChars = DefaultMaxChars)
    {
        var header = new List<string>();
        if (transcript.Language is { } language)
        {
            header.Add($"lang={language}");
        }
        if (transcript.DurationSeconds is { } duration)
        {
            header.Add($"duration={duration}s");
        }
        if (transcript.CallSuccessful is { } successful)
        {
            header.Add($"elevenlabs_call_successful={successful}");
        }

        var lines = new List<string>();
        TurnRole? lastRole = null;
        foreach (var turn in transcript.Turns)
        {
            var text = Whitespace().Replace(turn.Message, " ").Trim();
            if (text.Length == 0)
            {
                continue;
            }
            if (turn.Role == lastRole)
            {
                lines[^1] += " " + text;
            }
            else
            {
                lines.Add((turn.Role == TurnRole.Agent ? "A: " : "U: ") + text);
                lastRole = turn.Role;
            }
        }

        var builder = new StringBuilder();
        if (header.Count > 0)
        {
            builder.Append('[').AppendJoin("; ", header).Append("]\n");
        }
        if (transcript.ElevenLabsSummary is { Length: > 0 } summary)
        {
            builder.Append("[elevenlabs_summary: ").Append(Whitespace().Replace(summary, " ").Trim()).Append("]\n");
        }
        var body = string.Join('\n', lines);
        var room = Math.Max(200, maxChars - builder.Length);
        if (body.Length > room)
        {
            const string Cut = "\n[… middle of the call omitted …]\n";
            var half = (room - Cut.Length) / 2;
            body = body[..half] + Cut + body[^half..];
        }
        return builder.Append(body).ToString();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
