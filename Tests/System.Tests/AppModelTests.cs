using Microsoft.Extensions.DependencyInjection;
using VoiceAnalytics.AppHost.Postgres;

namespace VoiceAnalytics.System.Tests;

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
