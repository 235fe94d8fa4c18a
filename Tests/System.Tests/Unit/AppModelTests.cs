using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.AppHost.Launch;
using VoiceAnalytics.AppHost.Postgres;

namespace VoiceAnalytics.System.Tests.Unit;

/// <summary>
/// The AppHost's model, built but not started: the resource names and references, and the three ways Postgres is
/// provided (the container path cannot run on a machine without Docker, so its choice is what is tested).
/// </summary>
public sealed class AppModelTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("voiceanalytics-model-");

    [Fact]
    public async Task ByDefaultPostgresRunsFromTheMachinesBinariesWithTheVoicedbChild()
    {
        var model = await BuildModelAsync();
        Assert.Equal(["postgres", "voicedb", "gateway", "analysis", "crm"],
            model.Resources.Where(r => r is not ParameterResource && !r.Name.EndsWith("-rebuilder", StringComparison.Ordinal)).Select(r => r.Name));
        var server = Assert.IsType<LocalPostgresServerResource>(model.Resources.Single(r => r.Name == "postgres"));
        var database = Assert.IsType<LocalPostgresDatabaseResource>(model.Resources.Single(r => r.Name == "voicedb"));
        Assert.Same(server, database.Parent);
        Assert.All(model.Resources.OfType<ProjectResource>(), p => Assert.Contains(p.Annotations.OfType<WaitAnnotation>(), w => w.WaitBehavior == WaitBehavior.StopOnResourceUnavailable));
        // No start-up chain: every service waits for the database only, so they start in parallel.
        Assert.All(model.Resources.OfType<ProjectResource>(), p => Assert.Equal(["postgres", "voicedb"], p.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order()));
    }

    [Fact]
    public async Task ContainerModeUsesAspiresAddPostgres()
    {
        var model = await BuildModelAsync("AppHost:Postgres:Mode=container");
        Assert.IsType<PostgresServerResource>(model.Resources.Single(r => r.Name == "postgres"));
        Assert.IsType<PostgresDatabaseResource>(model.Resources.Single(r => r.Name == "voicedb"));
    }

    [Fact]
    public async Task AConnectionStringUsesAnExternalServer()
    {
        var model = await BuildModelAsync("ConnectionStrings:voicedb=Host=db.example;Database=voicedb;Username=va;Password=x");
        var voicedb = model.Resources.Single(r => r.Name == "voicedb");
        Assert.IsAssignableFrom<ParameterResource>(voicedb); // AddConnectionString: a connection string from configuration
        Assert.IsAssignableFrom<IResourceWithConnectionString>(voicedb);
        Assert.DoesNotContain(model.Resources, r => r.Name == "postgres");
    }

    [Fact]
    public async Task FlatSettingsReachTheServicesThatUseThemAndNoOther()
    {
        var environments = await EnvironmentsAsync(
            "WEBHOOK_TOLERANCE_SEC=60", "ANALYZE_MIN_MS=250", "CRM_TIMEOUT_MS=5000", "Crm:Breaker:FailureThreshold=9",
            "Admin:RateLimitPerKeyPerMinute=7", "Cors:AllowedOrigins:0=https://ops.example", "OTEL_TRACES_SAMPLER=parentbased_traceidratio");
        var (gateway, analysis, crm) = (environments["gateway"], environments["analysis"], environments["crm"]);

        Assert.Equal("60", gateway["WEBHOOK_TOLERANCE_SEC"]);
        Assert.Equal("7", gateway["Admin__RateLimitPerKeyPerMinute"]);
        Assert.Equal("https://ops.example", gateway["Cors__AllowedOrigins__0"]);
        Assert.Equal("250", analysis["ANALYZE_MIN_MS"]);
        Assert.Equal("5000", crm["CRM_TIMEOUT_MS"]);
        Assert.Equal("9", crm["Crm__Breaker__FailureThreshold"]);
        Assert.False(analysis.ContainsKey("Crm__Breaker__FailureThreshold"));
        Assert.All([gateway, analysis, crm], environment => Assert.Equal("parentbased_traceidratio", environment["OTEL_TRACES_SAMPLER"]));
        Assert.False(analysis.ContainsKey("WEBHOOK_TOLERANCE_SEC"));
        Assert.False(gateway.ContainsKey("ANALYZE_MIN_MS"));
        Assert.False(crm.ContainsKey("Admin__RateLimitPerKeyPerMinute"));
        // The gateway asks both owners to erase (they reach it over gRPC); the Markdown mirror is the CRM service's alone.
        Assert.Contains("services__analysis__grpc__0", gateway.Keys);
        Assert.Contains("services__crm__grpc__0", gateway.Keys);
        Assert.False(gateway.ContainsKey("CRM_MD_PATH"));
        Assert.True(crm.ContainsKey("CRM_MD_PATH"));
    }

    [Fact]
    public async Task EachServiceStartsFromItsBuiltDllNotThroughDotnetRun()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
            [$"AppHost:DataDirectory={_data.FullName}"], cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        var context = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        foreach (var project in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            // Launch tool arguments come first and replace Aspire's `run --project … --no-build`: DCP runs `dotnet <dll>`.
            var configuration = await ExecutionConfigurationBuilder.Create(project).WithArgumentsConfig()
                .BuildAsync(context, NullLogger.Instance, cts.Token);
            Assert.Null(configuration.Exception);
            var dll = Assert.Single(configuration.Arguments).Value;
            Assert.True(File.Exists(dll), $"{project.Name}: {dll} does not exist");
            Assert.StartsWith(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath) + Path.DirectorySeparatorChar, dll, StringComparison.Ordinal);
            Assert.Matches(@"^VoiceAnalytics\.\w+\.dll$", Path.GetFileName(dll));
        }
    }

    [Fact]
    public async Task DcpGetsAPreparedCertificateThroughALauncher()
    {
        var launcher = await DcpPathAsync();
        Assert.NotNull(launcher);
        var script = await File.ReadAllTextAsync(launcher);
        var start = Regex.Match(script, @"exec '([^']+)' ""\$@"" --tls-cert-file '([^']+)' --tls-key-file '([^']+)'");
        Assert.True(start.Success, script);
        Assert.Equal("dcp", Path.GetFileName(start.Groups[1].Value)); // the package's DCP, which the launcher runs
        Assert.Contains($"exec '{start.Groups[1].Value}' \"$@\"\n", script); // every other command unchanged
        using var certificate = X509Certificate2.CreateFromPemFile(start.Groups[2].Value, start.Groups[3].Value);
        Assert.True(certificate.HasPrivateKey);
        Assert.Contains("127.0.0.1", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(start.Groups[3].Value));
    }

    [Fact]
    public async Task DcpMakesItsOwnCertificateWhenOptedOut() =>
        Assert.Null(await DcpPathAsync($"{OrchestratorCertificate.OptOutKey}=true")); // Aspire's own DCP path then

    private async Task<string?> DcpPathAsync(params string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
            [$"AppHost:DataDirectory={_data.FullName}", .. args], cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        return app.Services.GetRequiredService<IConfiguration>()["DcpPublisher:CliPath"];
    }

    /// <summary>The environment each service would be started with, as the AppHost renders it.</summary>
    private async Task<Dictionary<string, Dictionary<string, string>>> EnvironmentsAsync(params string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
            [$"AppHost:DataDirectory={_data.FullName}", .. args], cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        var context = app.Services.GetRequiredService<DistributedApplicationExecutionContext>();
        var environments = new Dictionary<string, Dictionary<string, string>>();
        foreach (var project in app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>())
        {
            var configuration = await ExecutionConfigurationBuilder.Create(project).WithEnvironmentVariablesConfig()
                .BuildAsync(context, NullLogger.Instance, cts.Token);
            Assert.Null(configuration.Exception);
            environments[project.Name] = configuration.EnvironmentVariables.ToDictionary(StringComparer.Ordinal);
        }
        return environments;
    }

    private async Task<DistributedApplicationModel> BuildModelAsync(params string[] args)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
            [$"AppHost:DataDirectory={_data.FullName}", .. args], cts.Token);
        await using var app = await builder.BuildAsync(cts.Token);
        return app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public void Dispose() => _data.Delete(recursive: true);
}
