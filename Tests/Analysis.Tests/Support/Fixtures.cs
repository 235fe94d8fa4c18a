using System.Text.Json;
using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.Analysis.Tests.Support;

/// <summary>The ElevenLabs webhook payloads in Fixtures/, read as the service reads them.</summary>
internal static class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static IEnumerable<string> TranscriptionFiles =>
        System.IO.Directory.GetFiles(Directory, "post_call_transcription_*.json").Select(Path.GetFileName).Order()!;

    public static string Json(string file) => File.ReadAllText(Path.Combine(Directory, file));

    public static ConversationTranscript Transcript(string file)
    {
        using var document = JsonDocument.Parse(Json(file));
        return TranscriptReader.Read(document.RootElement);
    }
}
