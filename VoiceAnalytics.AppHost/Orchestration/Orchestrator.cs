using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// Runs the model: one runner per resource, each started once what it waits for is healthy; stopped in phases
/// (services, then data) on shutdown. Also what the dashboard and the resources API talk to.
/// </summary>
internal sealed class Orchestrator : IResourceService
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly IReadOnlyList<ResourceRunner> _runners;
    private readonly Dictionary<string, ResourceRunner> _byName;
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(8);

    private readonly CancellationTokenSource _stopping = new();
    private DataFolderLock? _lock;

    public Orchestrator(IReadOnlyList<Resource> resources, AppHostOptions options, string dataDirectory)
    {
        _resources = resources;
        var runnable = WaitGraph.StartOrder(resources).Where(r => r is not ParameterResource).ToList();
        Context = new RunContext(options, new ConsoleReporter(options.EchoResourceLogs, runnable.Max(r => r.Name.Length)), _stopping.Token)
        {
            DataDirectory = dataDirectory,
        };
        _runners = [.. runnable.Select(CreateRunner)];
        _byName = _runners.ToDictionary(r => r.Resource.Name);
        Context.RunnerOf = resource => _byName.GetValueOrDefault(resource.Name);
    }

    public RunContext Context { get; }

    public ResourceChangeSignal Changes => Context.Signal;

    /// <summary>Takes the data folder, cleans up after a killed run, checks Postgres can be provided, allocates ports.</summary>
    /// <returns>The dashboard's port (a free one when 0 is asked for).</returns>
    public async Task<int> PrepareAsync(int dashboardPort, CancellationToken cancellationToken)
    {
        _lock = DataFolderLock.Acquire(Context.DataDirectory);
        Context.Orphans = new OrphanRegistry(Context.DataDirectory);
        foreach (var leftover in await Context.Orphans.StopLeftoversAsync())
        {
            Context.Console.Info($"Stopped {leftover}, left running by an earlier AppHost that did not shut down.");
        }
        foreach (var server in _runners.OfType<PostgresServerRunner>())
        {
            var resource = (PostgresServerResource)server.Resource;
            if (resource.DataDirectory.Length == 0)
            {
                resource.DataDirectory = Path.Combine(Context.DataDirectory, resource.Name);
            }
            resource.DataDirectory = Path.GetFullPath(resource.DataDirectory);
            await server.PrepareAsync(cancellationToken);
        }
        var ports = new PortAllocator();
        var dashboard = ports.Allocate(dashboardPort, ResourceEndpoint.Host, "the dashboard (AppHost__DashboardPort)");
        foreach (var resource in _resources)
        {
            foreach (var endpoint in resource.Endpoints)
            {
                var bind = endpoint.IsExternal ? Context.Options.ExternalBindAddress : ResourceEndpoint.Host;
                endpoint.AllocatedPort = ports.Allocate(endpoint.Port, bind, $"{resource.Name}/{endpoint.Name}");
            }
        }
        return dashboard;
    }

    /// <summary>Begins every resource's run; each waits for its own dependencies.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners)
        {
            await runner.StartAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Stops everything: services together, then the data they use. Whatever is still running after
    /// <see cref="StopDeadline"/> is killed, so a stop never takes more than about ten seconds.
    /// </summary>
    public async Task StopAllAsync()
    {
        await _stopping.CancelAsync();
        var phases = StopInPhasesAsync();
        if (await Task.WhenAny(phases, Task.Delay(StopDeadline)) != phases)
        {
            foreach (var runner in _runners)
            {
                runner.Kill();
            }
            await Task.WhenAny(phases, Task.Delay(TimeSpan.FromSeconds(1)));
        }
        _lock?.Dispose();
        _lock = null;
    }

    public IReadOnlyList<ResourceSnapshot> GetResources() => [.. _runners.Select(r => r.Snapshot())];

    public ResourceSnapshot? GetResource(string name) => _byName.GetValueOrDefault(name)?.Snapshot();

    public ResourceLogBuffer? GetLogs(string name) => _byName.GetValueOrDefault(name)?.Logs;

    public Task<bool> StartResourceAsync(string name, CancellationToken cancellationToken) =>
        RunCommandAsync(name, r => r.StartAsync(cancellationToken));

    public Task<bool> StopResourceAsync(string name, CancellationToken cancellationToken) =>
        RunCommandAsync(name, r => r.StopAsync(cancellationToken));

    public Task<bool> RestartResourceAsync(string name, CancellationToken cancellationToken) =>
        RunCommandAsync(name, r => r.RestartAsync(cancellationToken));

    internal ResourceRunner Runner(string name) =>
        _byName.GetValueOrDefault(name) ?? throw new ArgumentException($"No resource named '{name}'.", nameof(name));

    private async Task StopInPhasesAsync()
    {
        foreach (var phase in _runners.GroupBy(r => r.StopPhase).OrderBy(g => g.Key))
        {
            await Task.WhenAll(phase.Select(r => r.StopAsync(CancellationToken.None)));
        }
    }

    private async Task<bool> RunCommandAsync(string name, Func<ResourceRunner, Task> command)
    {
        if (!_byName.TryGetValue(name, out var runner) || _stopping.IsCancellationRequested)
        {
            return false;
        }
        await command(runner);
        return true;
    }

    private ResourceRunner CreateRunner(Resource resource) => resource switch
    {
        ProjectResource project => new ProjectRunner(project, Context),
        PostgresServerResource server => new PostgresServerRunner(server, Context),
        PostgresDatabaseResource database => new DatabaseRunner(database, Context),
        _ => throw new NotSupportedException($"No runner for resource type {resource.GetType().Name}."),
    };
}
