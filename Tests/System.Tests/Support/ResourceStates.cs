using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// One resource as the dashboard shows it, with the process a <c>kill -9</c> hits (<c>Pid</c>: for a project DCP runs
/// <c>dotnet run</c>, whose child is the service; null when not running).
/// </summary>
public sealed record ResourceState(string Name, string? State, HealthStatus? Health, int? Pid, int? ExitCode);

/// <summary>Waits and commands on a running app through Aspire's ResourceNotificationService and ResourceCommandService.</summary>
public static class ResourceStates
{
    public static readonly string[] All = ["postgres", "voicedb", "gateway", "analysis", "crm"];

    public static ResourceState Current(this DistributedApplication app, string name)
    {
        if (!app.ResourceNotifications.TryGetCurrentState(name, out var resourceEvent))
        {
            throw new ArgumentException($"No resource '{name}'.", nameof(name));
        }
        var snapshot = resourceEvent.Snapshot;
        var pid = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
            && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var parsed) ? parsed : (int?)null;
        var running = snapshot.State?.Text == KnownResourceStates.Running;
        return new ResourceState(name, snapshot.State?.Text, snapshot.HealthStatus,
            running && pid is { } p ? Processes.ServiceProcess(p) : null, snapshot.ExitCode);
    }

    public static async Task WaitForAllHealthyAsync(this DistributedApplication app, TimeSpan patience, IEnumerable<string>? names = null)
    {
        using var cts = new CancellationTokenSource(patience);
        await app.WaitForAllHealthyAsync(names ?? All, cts.Token);
    }

    /// <summary>Until each resource is healthy (running, for one without health checks); throws for one that fails.</summary>
    public static async Task WaitForAllHealthyAsync(this DistributedApplication app, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        foreach (var name in names)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        }
    }

    public static async Task WaitForResourceHealthyAsync(this DistributedApplication app, string name, TimeSpan patience)
    {
        using var cts = new CancellationTokenSource(patience);
        await app.ResourceNotifications.WaitForResourceAsync(name,
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy, cts.Token);
    }

    /// <summary>Until the resource is no longer running: Exited, Finished or FailedToStart.</summary>
    public static async Task<ResourceEvent> WaitForExitAsync(this DistributedApplication app, string name, TimeSpan patience)
    {
        using var cts = new CancellationTokenSource(patience);
        return await app.ResourceNotifications.WaitForResourceAsync(name,
            e => e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state), cts.Token);
    }

    /// <summary>Runs a dashboard command (start, stop, restart) on a resource.</summary>
    public static async Task CommandAsync(this DistributedApplication app, string name, string command)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(name, command);
        Assert.True(result.Success, $"{command} of {name} failed: {result.Message}");
    }
}
