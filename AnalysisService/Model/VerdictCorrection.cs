namespace VoiceAnalytics.AnalysisService.Model;

/// <summary>Corrected verdict fields (data-subject rectification); a null field keeps the latest version's value.</summary>
public sealed record VerdictCorrection(
    string? Topic = null, string? Intent = null, int? Quality = null, string? Outcome = null, string? SummaryRu = null,
    string? Recommendations = null, string? ClientName = null, string? Phone = null)
{
    /// <summary>The stored (snake_case) names of the corrected fields, for the audit trail: names only, never values.</summary>
    public IReadOnlyList<string> FieldNames =>
    [
        .. new (string Name, object? Value)[]
        {
            ("topic", Topic), ("intent", Intent), ("quality", Quality), ("outcome", Outcome), ("summary_ru", SummaryRu),
            ("recommendations", Recommendations), ("client_name", ClientName), ("phone", Phone),
        }.Where(f => f.Value is not null).Select(f => f.Name),
    ];

    /// <summary>Why the correction cannot be applied, or null when it can.</summary>
    public string? Problem => Quality is < 1 or > 5 ? "quality must be between 1 and 5."
        : FieldNames.Count == 0 ? "Name at least one field to correct."
        : null;

    /// <summary>The verdict with the corrected fields; the email (not one of the eight) is kept.</summary>
    public Verdict ApplyTo(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict with
        {
            Topic = Topic ?? verdict.Topic,
            Intent = Intent ?? verdict.Intent,
            Quality = Quality ?? verdict.Quality,
            Outcome = Outcome ?? verdict.Outcome,
            SummaryRu = SummaryRu ?? verdict.SummaryRu,
            Recommendations = Recommendations ?? verdict.Recommendations,
            ClientName = ClientName ?? verdict.ClientName,
            Phone = Phone ?? verdict.Phone,
        };
    }
}
