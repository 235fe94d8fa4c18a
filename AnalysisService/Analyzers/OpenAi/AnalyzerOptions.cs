using System.ComponentModel.DataAnnotations;
using VoiceAnalytics.Infrastructure.Configuration;

namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>The analyzer's settings: section <c>Analysis</c>, or the flat names in <see cref="FlatVariables"/>.</summary>
public sealed class AnalyzerOptions
{
    public const string Section = "Analysis";

    /// <summary>The flat environment names existing deployments set, and the key each one sets.</summary>
    public static IReadOnlyList<FlatVariable> FlatVariables { get; } =
    [
        new("OPENAI_API_KEY", "Analysis:ApiKey"),
        new("OPENAI_BASE_URL", "Analysis:BaseUrl"),
        new("ANALYZE_MODEL", "Analysis:Model"),
        new("ANALYZE_AUTO", "Analysis:AutoAnalyze", FlatValueKind.Boolean),
        new("ANALYZE_TIMEOUT_MS", "Analysis:Timeout", FlatValueKind.Milliseconds),
        new("ANALYZE_MAX_OUTPUT_TOKENS", "Analysis:MaxOutputTokens", FlatValueKind.Number),
        new("ANALYZE_MAX_TRANSCRIPT_CHARS", "Analysis:MaxTranscriptChars", FlatValueKind.Number),
        new("ANALYZE_AUTO_OFF_RECHECK_MS", "Analysis:AutoOffRecheck", FlatValueKind.Milliseconds),
    ];

    /// <summary>No key: the offline analyzer is used.</summary>
    public string? ApiKey { get; set; }

    [Required(ErrorMessage = "ANALYZE_MODEL (Analysis:Model) must name a model.")]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>An OpenAI-compatible server (Azure OpenAI, Ollama, vLLM): its <c>/v1</c> base address.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>False: events are stored and only analysed on an explicit AnalyzeNow request.</summary>
    public bool AutoAnalyze { get; set; } = true;

    /// <summary>Network timeout of one LLM request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "ANALYZE_TIMEOUT_MS (Analysis:Timeout) must be between 1 second and 10 minutes.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(100, 100_000, ErrorMessage = "ANALYZE_MAX_OUTPUT_TOKENS (Analysis:MaxOutputTokens) must be between 100 and 100000.")]
    public int MaxOutputTokens { get; set; } = 1000;

    /// <summary>Transcripts longer than this keep their beginning and end (see <see cref="CompactTranscript"/>).</summary>
    [Range(1000, 1_000_000, ErrorMessage = "ANALYZE_MAX_TRANSCRIPT_CHARS (Analysis:MaxTranscriptChars) must be between 1000 and 1000000.")]
    public int MaxTranscriptChars { get; set; } = CompactTranscript.DefaultMaxChars;

    /// <summary>How often a job stored while ANALYZE_AUTO=false looks whether auto-analysis was switched on.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "ANALYZE_AUTO_OFF_RECHECK_MS (Analysis:AutoOffRecheck) must be between 1 second and 1 day.")]
    public TimeSpan AutoOffRecheck { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after it was queued a job may keep being put back by HTTP 429 without spending attempts (a daily
    /// quota resets within a day); after that the queue's attempts bound it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Analysis:SnoozeLimit must be between 0 and 365 days.")]
    public TimeSpan SnoozeLimit { get; set; } = TimeSpan.FromDays(1);

    /// <summary>USD per million tokens by model (section <c>Analysis:Prices</c>); a model not listed costs 0.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool UsesOpenAi => !string.IsNullOrWhiteSpace(ApiKey);
}
