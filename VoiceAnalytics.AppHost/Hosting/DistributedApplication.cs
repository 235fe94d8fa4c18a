using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using VoiceAnalytics.AppHost.Dashboard;
using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.Orchestration;
using VoiceAnalytics.AppHost.State;
using VoiceAnalytics.AppHost.Testing;

namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>
/// The built application: starts the dashboard and every resource, answers where things are, and stops it all.
/// <see cref="Run"/> is the command-line lifetime (Ctrl+C / SIGTERM); tests drive <see cref="StartAsync"/> and
/// <see cref="DisposeAsync"/> themselves through <see cref="DistributedApplicationTestingBuilder"/>.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private static readonly TimeSpan SlowStartNotice = TimeSpan.FromSeconds(60);

    private readonly AppHostOptions _options;
    private readonly bool _ownedByTest;
    private readonly Orchestrator _orchestrator;
    private DashboardServer? _dashboard;
    private bool _stopped;

    internal DistributedApplication(IReadOnlyList<Resource> resources, AppHostOptions options, bool ownedByTest)
    {
        Resources = resources;
        _options = options;
        _ownedByTest = ownedByTest;
        DataDirectory = ResolveDataDirectory(options);
        _orchestrator = new Orchestrator(resources, options, DataDirectory);
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args, TestingSession.Current);

    /// <summary>The folder that keeps state between runs: configured, or <c>.data/</c> beside the AppHost project.</summary>
    internal static string ResolveDataDirectory(AppHostOptions options) => Path.GetFullPath(options.DataDirectory.Length > 0
        ? options.DataDirectory
        : Path.Combine(AppHostPaths.ProjectDirectory, "..", ".data"));

    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>State, console logs and commands of the running resources (what the dashboard shows).</summary>
    public IResourceService ResourceService => _orchestrator;

    /// <summary>Folder kept between runs: Postgres data, the lock file.</summary>
    public string DataDirectory { get; }

    /// <summary>The dashboard, resources API and OTLP receiver; known once started.</summary>
    public Uri DashboardUrl => _dashboard?.Url ?? throw new InvalidOperationException("The application is not started.");

    /// <summary>The dashboard's browser login link, with this run's token.</summary>
    public Uri DashboardLoginUrl => _dashboard?.LoginUrl ?? throw new InvalidOperationException("The application is not started.");

    /// <summary>Takes the data folder, checks Postgres can be provided, starts the dashboard, and begins every resource.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var dashboardPort = await _orchestrator.PrepareAsync(_options.DashboardPort, cancellationToken);
        _dashboard = new DashboardServer(_orchestrator, dashboardPort);
        _orchestrator.Context.OtlpEndpoint = _dashboard.Url;
        // The dashboard's web app starts while Postgres does; services wait for it before they start.
        var dashboardStarted = _dashboard.StartAsync(cancellationToken);
        _orchestrator.Context.DashboardStarted = dashboardStarted;
        await _orchestrator.StartAllAsync(cancellationToken);
        await dashboardStarted;
    }

    /// <summary>Stops services, then Postgres, then the dashboard.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _orchestrator.StopAllAsync();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }

    /// <summary>Waits until every resource is healthy; fails at once when one exits or fails to start.</summary>
    public async Task WaitForAllHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var failed = false;
        try
        {
            await _orchestrator.Changes.WaitUntilAsync(() =>
            {
                var all = _orchestrator.GetResources();
                failed = all.Any(r => r.State is KnownResourceStates.FailedToStart or KnownResourceStates.Exited);
                return failed || all.All(r => r.State == KnownResourceStates.Running && r.Health == KnownHealthStates.Healthy);
            }, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Not all resources were healthy within {timeout}.\n{DescribeUnhealthy()}");
        }
        if (failed)
        {
            throw new InvalidOperationException($"A resource stopped before everything was healthy.\n{DescribeUnhealthy()}");
        }
    }

    /// <summary>Waits until one resource is running and healthy (after a restart, say).</summary>
    public async Task WaitForResourceHealthyAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _ = _orchestrator.Runner(name);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _orchestrator.Changes.WaitUntilAsync(() => _orchestrator.Runner(name).IsHealthy, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{name} was not healthy within {timeout}.\n{DescribeUnhealthy()}");
        }
    }

    /// <summary>Waits until a resource is in <paramref name="state"/> (e.g. Exited after a crash).</summary>
    public async Task WaitForResourceStateAsync(string name, string state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _ = _orchestrator.Runner(name);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await _orchestrator.Changes.WaitUntilAsync(() => _orchestrator.Runner(name).State == state, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{name} was not {state} within {timeout}.\n{DescribeUnhealthy()}");
        }
    }

    /// <summary>The URL of a resource's endpoint for this run, e.g. <c>GetEndpoint("gateway", "http")</c>.</summary>
    public Uri GetEndpoint(string resource, string endpoint = "http") => Find(resource).GetEndpoint(endpoint).Url;

    /// <summary>The connection string a resource hands to its references (e.g. <c>voicedb</c>).</summary>
    public string? GetConnectionString(string resource) =>
        Find(resource) is IResourceWithConnectionString withConnectionString
            ? withConnectionString.GetConnectionString()
            : throw new ArgumentException($"'{resource}' has no connection string.", nameof(resource));

    /// <summary>A parameter's value for this run (tests sign webhooks with the generated secret).</summary>
    public string? GetParameterValue(string name) =>
        Find(name) is ParameterResource parameter ? parameter.Value : throw new ArgumentException($"'{name}' is not a parameter.", nameof(name));

    /// <summary>Runs until Ctrl+C or SIGTERM. Under the testing builder it returns at once: the test owns the lifetime.</summary>
    public void Run()
    {
        if (!_ownedByTest)
        {
            RunAsync().GetAwaiter().GetResult();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            // Repeats are ignored: tools such as timeout(1) or a terminal plus dotnet run can deliver the same
            // Ctrl+C twice, and the stop is bounded anyway (see Orchestrator.StopAllAsync).
            context.Cancel = true;
            shutdown.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

        var clock = Stopwatch.StartNew();
        var console = _orchestrator.Context.Console;
        try
        {
            console.Info($"VoiceAnalytics AppHost: data in {DataDirectory}");
            AnnounceGeneratedParameters(console);
            await StartAsync(shutdown.Token);
            console.Info($"Dashboard: {DashboardLoginUrl}  (resources API: {DashboardUrl}api/resources)");
            _ = ReportWhenHealthyAsync(console, clock, shutdown.Token);
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (AppHostSetupException ex)
        {
            console.Error($"Cannot start: {ex.Message}");
            Environment.ExitCode = 1;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM.
        }
        console.Info("Stopping...");
        var stopping = Stopwatch.StartNew();
        await StopAsync();
        console.Info($"Stopped in {stopping.Elapsed.TotalSeconds:0.0} s.");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownedByTest)
        {
            TestingSession.DeleteTemporaryDataDirectory(DataDirectory);
        }
    }

    private void AnnounceGeneratedParameters(ConsoleReporter console)
    {
        foreach (var parameter in Resources.OfType<ParameterResource>().Where(p => p.IsGenerated))
        {
            console.Info($"{parameter.ConfigurationKey} is not set, so one was generated for this run (sign test webhooks with it): {parameter.Value}");
            console.Info($"  Set {parameter.ConfigurationKey} (or Parameters__{parameter.Name}, or a user secret) to keep one across runs.");
        }
    }

    private async Task ReportWhenHealthyAsync(ConsoleReporter console, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            await WaitForAllHealthyAsync(SlowStartNotice, cancellationToken);
            console.Info(Summary(clock.Elapsed));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            console.Error($"{ex.Message}\nThe AppHost keeps running: fix the cause, then POST {DashboardUrl}api/resources/<name>/restart or press Ctrl+C.");
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private string Summary(TimeSpan elapsed)
    {
        var text = new StringBuilder($"\nAll {_orchestrator.GetResources().Count} resources healthy in {elapsed.TotalSeconds:0.0} s:\n");
        foreach (var resource in _orchestrator.GetResources())
        {
            var endpoints = string.Join("  ", resource.Endpoints.Select(e => $"{e.Name} {e.Url}{(e.IsExternal ? " (external)" : "")}"));
            var detail = resource.Properties.TryGetValue("mode", out var mode) ? $"{mode}, "
                : resource.Properties.TryGetValue("database", out var database) ? $"database {database}" : "";
            text.AppendLine($"  {resource.Name,-10} {resource.Type,-16} {detail}{(resource.Pid is { } pid ? $"pid {pid}  " : "")}{endpoints}");
        }
        text.AppendLine($"  {"dashboard",-10} {"AppHost",-16} {DashboardUrl}  (GET /api/resources; OTLP receiver)");
        foreach (var parameter in Resources.OfType<ParameterResource>().Where(p => p.IsGenerated))
        {
            text.AppendLine($"  {parameter.ConfigurationKey} was generated for this run (printed above).");
        }
        text.Append("Press Ctrl+C to stop everything.");
        return text.ToString();
    }

    private string DescribeUnhealthy()
    {
        var text = new StringBuilder();
        foreach (var resource in _orchestrator.GetResources().Where(r => r.Health != KnownHealthStates.Healthy))
        {
            text.AppendLine($"- {resource.Name}: {resource.State}, health {resource.Health ?? "unknown"}, exit code {resource.ExitCode?.ToString() ?? "-"}{(resource.Message is null ? "" : $": {resource.Message}")}");
            foreach (var line in _orchestrator.GetLogs(resource.Name)!.GetLines().TakeLast(15))
            {
                text.AppendLine($"    {line.Text}");
            }
        }
        return text.ToString();
    }

    private Resource Find(string name) =>
        Resources.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No resource named '{name}'.", nameof(name));
}
