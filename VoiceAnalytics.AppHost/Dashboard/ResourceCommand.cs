namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>What the Resources page's buttons ask the orchestrator to do.</summary>
public enum ResourceCommand
{
    Stop,
    Start,
    Restart,
}
