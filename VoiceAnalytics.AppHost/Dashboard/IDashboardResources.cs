namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>The orchestrator as the dashboard sees it: its resources, and the commands the buttons send.</summary>
public interface IDashboardResources
{
    IReadOnlyList<DashboardResource> List();

    /// <summary>Runs a command; false when no resource has that name.</summary>
    Task<bool> ExecuteAsync(string name, ResourceCommand command, CancellationToken cancellationToken);
}
