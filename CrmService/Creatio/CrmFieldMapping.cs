namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// The default mapping from lead sources to Creatio columns: the landing's fields (fields: Commentary,
/// UsrQualificationComment, UsrTSLeadStatus, UsrQualificationTopic, UsrIntent, UsrQualityScore, UsrEventId,
/// UsrAgentId, UsrConversationId; contactFields: FullName, Phone, Email) plus the Lead's own Name, MobilePhone
/// and Email as in the fixture. The record <c>Id</c> is always sent first and is not part of the mapping.
/// </summary>
public static class CrmFieldMapping
{
    public static Dictionary<string, string> DefaultFormFields() => new(StringComparer.Ordinal)
    {
        ["Name"] = LeadSources.ClientName,
        ["MobilePhone"] = LeadSources.Phone,
        ["Email"] = LeadSources.Email,
        ["Commentary"] = LeadSources.Summary,
        ["UsrQualificationTopic"] = LeadSources.Topic,
        ["UsrIntent"] = LeadSources.Intent,
        ["UsrQualityScore"] = LeadSources.Quality,
        ["UsrTSLeadStatus"] = LeadSources.Outcome,
        ["UsrQualificationComment"] = LeadSources.Recommendations,
        ["UsrEventId"] = LeadSources.EventId,
        ["UsrAgentId"] = LeadSources.AgentId,
        ["UsrConversationId"] = LeadSources.ConversationId,
    };

    public static Dictionary<string, string> DefaultContactFields() => new(StringComparer.Ordinal)
    {
        ["FullName"] = LeadSources.ClientName,
        ["Phone"] = LeadSources.Phone,
        ["Email"] = LeadSources.Email,
    };
}
