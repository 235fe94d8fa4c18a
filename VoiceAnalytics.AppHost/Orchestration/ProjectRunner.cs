using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// Runs a service as <c>dotnet &lt;built dll&gt;</c> from its project folder (content root, appsettings.json),
/// healthy when its HTTP/1.1 endpoint answers <c>/health</c> with 200 (ready: database reachable and migrated).
/// </summary>
internal sealed class ProjectRunner(ProjectResource project, RunContext context) : ResourceRunner(project, context)
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(4);

    protected override async Task<ManagedProcess?> StartCoreAsync(CancellationToken cancellationToken)
    {
        var dll = AppHostPaths.TargetPathOf(project.ProjectPath)
            ?? throw new AppHostSetupException($"{project.ProjectPath} is not a ProjectReference of the AppHost: add it to VoiceAnalytics.AppHost.csproj.");
        if (!File.Exists(dll))
        {
            throw new AppHostSetupException($"{dll} does not exist: build first (dotnet build VoiceAnalytics.AppHost).");
        }
        await Context.DashboardStarted.WaitAsync(cancellationToken);
        var environment = ProjectEnvironment.Build(project, Context.OtlpEndpoint, Context.Options.ExternalBindAddress);
        var spec = new ProcessSpec(DotnetHost.Path, [dll], project.ProjectDirectory, environment, DeathSignal: "TERM");
        var process = await ManagedProcess.StartAsync(spec, WriteLine);
        Note($"started {Path.GetFileName(dll)} as pid {process.Pid}");
        return process;
    }

    protected override async Task StopCoreAsync()
    {
        if (Process is { HasExited: false } process)
        {
            await process.StopAsync(PosixProcesses.SigTerm, StopGrace);
        }
    }

    protected override async Task<bool> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var endpoint = project.Endpoints.FirstOrDefault(e => e.Protocol == EndpointProtocol.Http1);
        if (endpoint is null)
        {
            return Process is { HasExited: false };
        }
        using var response = await Context.Http.GetAsync(new Uri(endpoint.Url, "/health"), cancellationToken);
        return response.IsSuccessStatusCode;
    }

    protected override IReadOnlyDictionary<string, string> Properties() => new Dictionary<string, string>
    {
        ["project"] = project.ProjectPath,
    };
}
