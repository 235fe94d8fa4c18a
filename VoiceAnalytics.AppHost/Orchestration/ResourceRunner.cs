using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// The lifecycle every resource shares: wait for dependencies to be healthy, start, probe health, notice an exit,
/// stop, start again. Subclasses only say how to start, stop and probe their kind of resource.
/// </summary>
internal abstract class ResourceRunner
{
    private static readonly TimeSpan ProbeWhileStarting = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan ProbeWhileHealthy = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeWhileUnhealthy = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _commands = new(1, 1);
    private readonly Lock _lock = new();
    private CancellationTokenSource? _run;
    private Task _runTask = Task.CompletedTask;
    private bool _everStarted;
    private string _state = KnownResourceStates.NotStarted;
    private string? _health;
    private int? _pid;
    private DateTimeOffset? _startedAt;
    private int _restarts;
    private int? _exitCode;
    private string? _message;

    protected ResourceRunner(Resource resource, RunContext context)
    {
        Resource = resource;
        Context = context;
        Logs = new ResourceLogBuffer(context.Options.LogLinesPerResource);
    }

    public Resource Resource { get; }

    public ResourceLogBuffer Logs { get; }

    /// <summary>Shutdown runs phase by phase: services (0) before the data they use (1).</summary>
    public virtual int StopPhase => 0;

    protected RunContext Context { get; }

    protected ManagedProcess? Process { get; private set; }

    public bool IsHealthy
    {
        get
        {
            lock (_lock)
            {
                return _state == KnownResourceStates.Running && _health == KnownHealthStates.Healthy;
            }
        }
    }

    public string State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    public ResourceSnapshot Snapshot()
    {
        lock (_lock)
        {
            return BuildSnapshot();
        }
    }

    private ResourceSnapshot BuildSnapshot()
    {
        var endpoints = Resource.Endpoints
            .Where(e => e.AllocatedPort is not null)
            .Select(e => new EndpointSnapshot(e.Name, e.Url.ToString().TrimEnd('/'), e.Protocol.ToString(), e.IsExternal))
            .ToList();
        return new ResourceSnapshot(Resource.Name, Resource.Type, _state, _health, endpoints, _pid, _startedAt, _restarts,
            _exitCode, [.. Resource.StartDependencies.Select(d => d.Name)], _message, Properties());
    }

    /// <summary>Begins a run in the background (waiting, starting, probing); a running resource is left alone.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _commands.WaitAsync(cancellationToken);
        try
        {
            if (State is KnownResourceStates.Waiting or KnownResourceStates.Starting or KnownResourceStates.Running)
            {
                return;
            }
            lock (_lock)
            {
                if (_everStarted)
                {
                    _restarts++;
                }
                _everStarted = true;
                _exitCode = null;
                _message = null;
            }
            _run = CancellationTokenSource.CreateLinkedTokenSource(Context.Stopping);
            var token = _run.Token;
            _runTask = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
        finally
        {
            _commands.Release();
        }
    }

    /// <summary>Stops the resource (gracefully, then by force) and waits until it is down.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _commands.WaitAsync(cancellationToken);
        try
        {
            if (_run is null)
            {
                return;
            }
            await _run.CancelAsync();
            await _runTask;
            var finalState = State is KnownResourceStates.Exited or KnownResourceStates.FailedToStart ? State : KnownResourceStates.Stopped;
            Update(s => s with { State = KnownResourceStates.Stopping });
            await StopCoreAsync();
            Update(s => s with { State = finalState, Health = null, Pid = null });
            _run.Dispose();
            _run = null;
        }
        finally
        {
            _commands.Release();
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Kills the resource's process tree at once (the end of a stop that ran out of time).</summary>
    public void Kill() => Process?.Kill();

    /// <summary>Adds a line of the AppHost's own to this resource's log (and the console).</summary>
    public void Note(string message, bool isError = false) => WriteLine($"[apphost] {message}", isError);

    /// <summary>Stores and echoes one line of the resource's output.</summary>
    protected void WriteLine(string line, bool isError)
    {
        Logs.Add(line, isError);
        Context.Console.Echo(Resource.Name, line, isError);
    }

    /// <summary>Starts the resource; returns its process when it has one to watch.</summary>
    protected abstract Task<ManagedProcess?> StartCoreAsync(CancellationToken cancellationToken);

    /// <summary>Stops whatever <see cref="StartCoreAsync"/> started; must not throw and must cope with a half-started resource.</summary>
    protected abstract Task StopCoreAsync();

    protected abstract Task<bool> CheckHealthAsync(CancellationToken cancellationToken);

    protected virtual IReadOnlyDictionary<string, string> Properties() => new Dictionary<string, string>();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            Update(s => s with { State = KnownResourceStates.Waiting, Health = null, Pid = null });
            var dependencies = Resource.StartDependencies.Select(Context.RunnerOf).OfType<ResourceRunner>().ToList();
            await Context.Signal.WaitUntilAsync(() => dependencies.All(d => d.IsHealthy), cancellationToken);
            Update(s => s with { State = KnownResourceStates.Starting });
            var process = await StartCoreAsync(cancellationToken);
            if (process is not null)
            {
                Watch(process);
            }
            Update(s => s with
            {
                State = process is { HasExited: true } ? KnownResourceStates.Exited : KnownResourceStates.Running,
                Pid = process?.Pid,
                StartedAt = DateTimeOffset.UtcNow,
            });
            await ProbeHealthAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting or starting.
        }
        catch (Exception ex)
        {
            Note($"failed to start: {ex.Message}", isError: true);
            Update(s => s with { State = KnownResourceStates.FailedToStart, Health = null, Message = ex.Message });
        }
    }

    private async Task ProbeHealthAsync(CancellationToken cancellationToken)
    {
        var everHealthy = false;
        while (!cancellationToken.IsCancellationRequested && State == KnownResourceStates.Running)
        {
            bool healthy;
            try
            {
                healthy = await CheckHealthAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                healthy = false;
            }
            var health = healthy ? KnownHealthStates.Healthy : KnownHealthStates.Unhealthy;
            Update(s => s.State == KnownResourceStates.Running && s.Health != health ? s with { Health = health } : s);
            everHealthy |= healthy;
            await Task.Delay(healthy ? ProbeWhileHealthy : everHealthy ? ProbeWhileUnhealthy : ProbeWhileStarting, cancellationToken);
        }
    }

    private void Watch(ManagedProcess process)
    {
        Process = process;
        Context.Orphans?.Add(process.Pid, StopSignal, Resource.Name);
        _ = process.Exited.ContinueWith(exited =>
        {
            Context.Orphans?.Remove(process.Pid);
            var code = exited.Result;
            Note($"process {process.Pid} exited with code {code}", isError: code != 0);
            Update(s => s.State is KnownResourceStates.Stopping or KnownResourceStates.Stopped || s.Pid != process.Pid && s.Pid is not null
                ? s with { ExitCode = code }
                : s with { State = KnownResourceStates.Exited, Health = null, Pid = null, ExitCode = code });
        }, TaskScheduler.Default);
    }

    /// <summary>What a leftover process of this kind is stopped with by the next AppHost.</summary>
    protected virtual int StopSignal => PosixProcesses.SigTerm;

    private void Update(Func<Status, Status> change)
    {
        ResourceSnapshot snapshot;
        lock (_lock)
        {
            var before = new Status(_state, _health, _pid, _startedAt, _exitCode, _message);
            var after = change(before);
            if (after == before)
            {
                return;
            }
            (_state, _health, _pid, _startedAt, _exitCode, _message) = after;
            snapshot = BuildSnapshot();
        }
        Context.Signal.Notify(snapshot);
    }

    private sealed record Status(string State, string? Health, int? Pid, DateTimeOffset? StartedAt, int? ExitCode, string? Message);
}
