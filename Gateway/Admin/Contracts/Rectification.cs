using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// Corrected analysis fields (any of the seed's eight; null = unchanged). The analysis service stores them as a
/// new analysis version with reason <c>rectification</c> and exports it to the CRM again; it validates them.
/// </summary>
public sealed record Rectification(
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

    public RectifyRequest ToRequest(string conversationId, string requestedBy)
    {
        var request = new RectifyRequest { ConversationId = conversationId, RequestedBy = requestedBy };
        if (Topic is not null) { request.Topic = Topic; }
        if (Intent is not null) { request.Intent = Intent; }
        if (Quality is { } quality) { request.Quality = quality; }
        if (Outcome is not null) { request.Outcome = Outcome; }
        if (SummaryRu is not null) { request.SummaryRu = SummaryRu; }
        if (Recommendations is not null) { request.Recommendations = Recommendations; }
        if (ClientName is not null) { request.ClientName = ClientName; }
        if (Phone is not null) { request.Phone = Phone; }
        return request;
    }
}
