using VoiceAnalytics.Analysis.Tests.Support;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.Analysis.Tests.Unit;

public sealed class CompactTranscriptTests
{
    [Fact]
    public void RendersRolesAndTurnsWithoutToolNoise()
    {
        var json = Fixtures.Json("post_call_transcription_ru.json");
        var rendered = CompactTranscript.Render(Fixtures.Transcript("post_call_transcription_ru.json"));

        Assert.StartsWith("[lang=ru; duration=64s; elevenlabs_call_successful=success]\n[elevenlabs_summary: ", rendered);
        var lines = rendered.Split('\n').Where(l => !l.StartsWith('[')).ToList();
        Assert.Equal(6, lines.Count);
        Assert.Equal(["A", "U", "A", "U", "A", "U"], lines.Select(l => l[..1]));
        Assert.Contains("lookup_tariffs", json);
        Assert.DoesNotContain("lookup_tariffs", rendered);
        Assert.DoesNotContain("tool_req_01", rendered);
        // Far smaller than the raw payload: that is the point.
        Assert.True(rendered.Length * 4 < json.Length);
    }

    [Fact]
    public void ConsecutiveTurnsOfOneSpeakerAreMergedAndWhitespaceCollapsed()
    {
        var transcript = new ConversationTranscript("c",
        [
            new(TurnRole.User, "Hello   there"),
            new(TurnRole.User, "I need\nhelp"),
            new(TurnRole.Agent, "Sure."),
        ]);

        Assert.Equal("U: Hello there I need help\nA: Sure.", CompactTranscript.Render(transcript));
    }

    [Fact]
    public void AVeryLongCallKeepsItsBeginningAndEnd()
    {
        var turns = Enumerable.Range(0, 2000).Select(i => new TranscriptTurn(i % 2 == 0 ? TurnRole.User : TurnRole.Agent, $"turn {i} " + new string('x', 40))).ToList();

        var rendered = CompactTranscript.Render(new ConversationTranscript("c", turns), maxChars: 5000);

        Assert.True(rendered.Length <= 5000);
        Assert.Contains("turn 0 ", rendered);
        Assert.Contains("turn 1999 ", rendered);
        Assert.Contains("middle of the call omitted", rendered);
    }
}
