using VoiceAnalytics.AnalysisService.Analyzers;
using VoiceAnalytics.AnalysisService.Model;
using VoiceAnalytics.AnalysisService.Throttling;

namespace VoiceAnalytics.Bench.Analysis;

/// <summary>An analyzer that costs nothing, so a run measures only the queue (and, if asked, the throttle).</summary>
internal sealed class InstantAnalyzer(bool throughThrottle) : IAnalyzer
{
    private static readonly AnalyzerResult Result = new(
        new Verdict("Стоимость", "Узнать цену", 4, "Успешно", "Клиент узнал цену.", "Отправить КП.", "", ""), "instant", "bench", 0, 0, 0m);

    public bool UsesProvider => throughThrottle;

    public int EstimateTokens(ConversationTranscript transcript) => 0;

    public async Task<AnalyzerResult> AnalyzeAsync(ConversationTranscript transcript, CancellationToken cancellationToken)
    {
        // A real provider call confirms its start as its request is sent (ThrottledSendPolicy): cost that round trip too.
        if (ThrottledCall.Current is { } throttle)
        {
            await throttle.ConfirmStartAsync(cancellationToken);
        }
        return Result;
    }
}
