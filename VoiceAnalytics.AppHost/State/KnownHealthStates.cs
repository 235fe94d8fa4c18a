namespace VoiceAnalytics.AppHost.State;

public static class KnownHealthStates
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
}
