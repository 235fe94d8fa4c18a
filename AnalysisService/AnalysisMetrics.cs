using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VoiceAnalytics.AnalysisService;

/// <summary>
/// The analysis service's span source and meter (<c>VoiceAnalytics.Analysis</c>): analysis latency, tokens,
/// estimated cost, throttle wait and 429s, tagged by model and outcome (never by conversation: unbounded).
/// </summary>
public sealed class AnalysisMetrics : IDisposable
{
    public const string Name = "VoiceAnalytics.Analysis";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Histogram<double> _throttleWait;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _analyses;

    public AnalysisMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _latency = _meter.CreateHistogram<double>("analysis.duration", "ms", "Time of one analyzer call (LLM round trip or offline rules).");
        _tokens = _meter.CreateCounter<long>("analysis.tokens", "{token}", "LLM tokens used, by direction (input/output).");
        _cost = _meter.CreateCounter<double>("analysis.cost", "USD", "Estimated LLM cost from the configured price table.");
        _throttleWait = _meter.CreateHistogram<double>("analysis.throttle.wait", "ms", "Time a call waited for its start slot in the global throttle.");
        _rateLimited = _meter.CreateCounter<long>("analysis.rate_limited", "{response}", "HTTP 429 answers from the LLM provider.");
        _analyses = _meter.CreateCounter<long>("analysis.attempts", "{attempt}", "Analysis attempts by outcome (stored, invalid, failed, rate_limited).");
    }

    public void Analyzed(string model, TimeSpan latency, int inputTokens, int outputTokens, decimal costUsd)
    {
        var modelTag = new KeyValuePair<string, object?>("model", model);
        _latency.Record(latency.TotalMilliseconds, modelTag);
        _tokens.Add(inputTokens, modelTag, new("direction", "input"));
        _tokens.Add(outputTokens, modelTag, new("direction", "output"));
        _cost.Add((double)costUsd, modelTag);
    }

    public void Outcome(string model, string outcome) =>
        _analyses.Add(1, new KeyValuePair<string, object?>("model", model), new("outcome", outcome));

    public void ThrottleWaited(TimeSpan waited, bool paused) =>
        _throttleWait.Record(waited.TotalMilliseconds, new KeyValuePair<string, object?>("paused", paused));

    public void RateLimited(string model) => _rateLimited.Add(1, new KeyValuePair<string, object?>("model", model));

    public void Dispose() => _meter.Dispose();
}
