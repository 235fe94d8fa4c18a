namespace VoiceAnalytics.AnalysisService.Analyzers.OpenAi;

/// <summary>
/// Estimated cost of a call from the configured price table. Dated model names ("gpt-4o-mini-2024-07-18")
/// take the price of their longest listed prefix.
/// </summary>
public static class CostEstimator
{
    public static decimal Estimate(IReadOnlyDictionary<string, ModelPrice> prices, string model, int inputTokens, int outputTokens)
    {
        var price = prices.TryGetValue(model, out var exact)
            ? exact
            : prices.Where(p => model.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase)).OrderByDescending(p => p.Key.Length).Select(p => p.Value).FirstOrDefault();
        if (price is null)
        {
            return 0m;
        }
        return Math.Round(((inputTokens * price.InputPerMillion) + (outputTokens * price.OutputPerMillion)) / 1_000_000m, 6);
    }
}
