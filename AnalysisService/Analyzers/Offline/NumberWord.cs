namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>Place of a spoken number word inside a compound like "триста семьдесят пять".</summary>
public enum NumberWordKind
{
    Unit,
    Teen,
    Ten,
    Hundred,
}

/// <summary>A spoken number word's value and place.</summary>
public readonly record struct NumberWord(int Value, NumberWordKind Kind);
