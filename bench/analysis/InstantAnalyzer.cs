using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.Bench.Analysis;

/// <summary>An analyzer that costs nothing, so a run measures only the queue (and, if asked, the throttle).</summary>
internal sealed class InstantAnalyzer(bool throughThrottle) : IAnalyzer
{
    private static readonly AnalyzerResult Result = new(
        new Verdict("Стоимость", "Узнать цену", 4, "Успешно", "Клиент узнал цену.", "Отправить КП.", "", ""), "instant", "bench", 0, 0, 0m);

    public bool UsesProvider => throughThrottle;

    public int EstimateTokens(ConversationTranscript transcript) => 0;

    public Task<AnalyzerResult> AnalyzeAsync(ConversationTranscript transcript, CancellationToken cancellationToken) => Task.FromResult(Result);
}
