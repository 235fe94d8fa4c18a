using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>
/// Corrected analysis fields (any of the eight a verdict has; null = unchanged). The analysis service stores them as a
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

    /// <summary>The owner's request: only the corrected fields are set (proto3 <c>optional</c>), the others keep their value.</summary>
    public RectifyRequest ToRequest(string conversationId, string requestedBy)
    {
        var request = new RectifyRequest { ConversationId = conversationId, RequestedBy = requestedBy };
        Set(Topic, v => request.Topic = v);
        Set(Intent, v => request.Intent = v);
        Set(Outcome, v => request.Outcome = v);
        Set(SummaryRu, v => request.SummaryRu = v);
        Set(Recommendations, v => request.Recommendations = v);
        Set(ClientName, v => request.ClientName = v);
        Set(Phone, v => request.Phone = v);
        if (Quality is { } quality)
        {
            request.Quality = quality;
        }
        return request;

        static void Set(string? value, Action<string> set)
        {
            if (value is not null)
            {
                set(value);
            }
        }
    }
}
