namespace VoiceAnalytics.CrmService.Model;

/// <summary>The CRM export queue: <c>crm.jobs</c>, kind <c>export</c>, key = conversation id.</summary>
public static class CrmQueue
{
    public const string Name = "crm";

    public const string Table = "crm.jobs";
}
