namespace VoiceAnalytics.AppHost.State;

/// <summary>What the dashboard and the resources API see of the running application: state, console logs, commands.</summary>
public interface IResourceService
{
    ResourceChangeSignal Changes { get; }

    IReadOnlyList<ResourceSnapshot> GetResources();

    ResourceSnapshot? GetResource(string name);

    ResourceLogBuffer? GetLogs(string name);

    /// <summary>Each command returns false when there is no such resource (or the application is stopping).</summary>
    Task<bool> StartResourceAsync(string name, CancellationToken cancellationToken);

    Task<bool> StopResourceAsync(string name, CancellationToken cancellationToken);

    Task<bool> RestartResourceAsync(string name, CancellationToken cancellationToken);
}
