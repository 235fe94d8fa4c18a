namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>A model's list price in USD per million tokens.</summary>
public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}
