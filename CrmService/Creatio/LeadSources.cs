namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// Names a CRM column can be filled from: the conversation's identifiers, or any field of the analysis result
/// (the verdict's eight fields, or any other the analyzer adds).
/// </summary>
public static class LeadSources
{
    public const string ConversationId = "conversation_id";
    public const string AgentId = "agent_id";
    public const string EventId = "event_id";
    public const string AnalysisId = "analysis_id";

    public const string Topic = "topic";
    public const string Intent = "intent";
    public const string Quality = "quality";
    public const string Outcome = "outcome";
    public const string Summary = "summary_ru";
    public const string Recommendations = "recommendations";
    public const string ClientName = "client_name";
    public const string Phone = "phone";
    public const string Email = "email";
}
