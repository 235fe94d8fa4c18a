namespace VoiceAnalytics.Gateway.Lineage;

/// <summary>
/// One language's sentences for the text form of a lineage report: a template per step kind with named placeholders
/// (<c>{date}</c>, <c>{time}</c>, <c>{actor}</c>, …) and the words for outcomes. Written by people, one table per
/// language; nothing is translated at run time.
/// </summary>
public sealed record LineageLanguage(
    string Code,
    string DateFormat,
    string Title,
    string CallSentence,
    string CallWithoutNumber,
    string AgentSentence,
    string DurationSentence,
    string RecordingSentence,
    string NothingHeld,
    string Unavailable,
    IReadOnlyDictionary<string, string> Steps,
    IReadOnlyDictionary<string, string> Outcomes)
{
    /// <summary>The languages a report can be written in: <c>pt</c>, <c>en</c>, <c>ru</c>.</summary>
    public static readonly IReadOnlyDictionary<string, LineageLanguage> All = new Dictionary<string, LineageLanguage>(StringComparer.Ordinal)
    {
        [LineageTextsPt.Table.Code] = LineageTextsPt.Table,
        [LineageTextsEn.Table.Code] = LineageTextsEn.Table,
        [LineageTextsRu.Table.Code] = LineageTextsRu.Table,
    };
}
