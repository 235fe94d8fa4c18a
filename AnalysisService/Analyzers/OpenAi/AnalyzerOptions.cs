using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>The analyzer's settings, from the seed's flat variables (OPENAI_API_KEY, ANALYZE_MODEL, ANALYZE_AUTO…).</summary>
public sealed class AnalyzerOptions
{
    /// <summary>No key: the offline analyzer is used.</summary>
    [ConfigurationKeyName("OPENAI_API_KEY")]
    public string? ApiKey { get; set; }

    [ConfigurationKeyName("ANALYZE_MODEL"), Required]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>An OpenAI-compatible server (Azure OpenAI, Ollama, vLLM): its <c>/v1</c> base address.</summary>
    [ConfigurationKeyName("OPENAI_BASE_URL")]
    public string? BaseUrl { get; set; }

    /// <summary>False: events are stored and only analysed on an explicit AnalyzeNow request.</summary>
    [ConfigurationKeyName("ANALYZE_AUTO")]
    public bool AutoAnalyze { get; set; } = true;

    /// <summary>Network timeout of one LLM request.</summary>
    [ConfigurationKeyName("ANALYZE_TIMEOUT_MS"), Range(1000, 600_000)]
    public int TimeoutMs { get; set; } = 60_000;

    [ConfigurationKeyName("ANALYZE_MAX_OUTPUT_TOKENS"), Range(100, 100_000)]
    public int MaxOutputTokens { get; set; } = 1000;

    /// <summary>Transcripts longer than this keep their beginning and end (see <see cref="CompactTranscript"/>).</summary>
    [ConfigurationKeyName("ANALYZE_MAX_TRANSCRIPT_CHARS"), Range(1000, 1_000_000)]
    public int MaxTranscriptChars { get; set; } = CompactTranscript.DefaultMaxChars;

    /// <summary>How often a job stored while ANALYZE_AUTO=false looks whether auto-analysis was switched on.</summary>
    [ConfigurationKeyName("ANALYZE_AUTO_OFF_RECHECK_MS"), Range(1000, 86_400_000)]
    public int AutoOffRecheckMs { get; set; } = 600_000;

    /// <summary>
    /// How long after it was queued a job may keep being put back by HTTP 429 without spending attempts (a daily
    /// quota resets within a day); after that the queue's attempts bound it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SnoozeLimit { get; set; } = TimeSpan.FromDays(1);

    /// <summary>USD per million tokens by model (section <c>Analysis:Prices</c>); a model not listed costs 0.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool UsesOpenAi => !string.IsNullOrWhiteSpace(ApiKey);
}
