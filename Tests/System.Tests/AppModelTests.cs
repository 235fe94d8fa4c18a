using VoiceAnalytics.AppHost.Hosting;
using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.Orchestration;
using VoiceAnalytics.AppHost.Testing;

namespace VoiceAnalytics.System.Tests;

/// <summary>The app model on its own: no process is started.</summary>
public sealed class AppModelTests
{
    [Fact]
    public async Task TheWiringDiagramStartsPostgresThenGatewayThenAnalysisThenCrm()
    {
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync();

        var order = WaitGraph.StartOrder(app.Resources).Where(r => r is not ParameterResource).Select(r => r.Name);

        Assert.Equal(["postgres", "voicedb", "gateway", "analysis", "crm"], order);
    }

    [Fact]
    public async Task ReferencesBecomeAspireEnvironmentKeys()
    {
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o => o.Configuration["WEBHOOK_SECRET"] = "s3cret");
        var port = 40000;
        foreach (var endpoint in app.Resources.SelectMany(r => r.Endpoints))
        {
            endpoint.AllocatedPort = port++;
        }
        var gateway = app.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
        var analysis = app.Resources.OfType<ProjectResource>().Single(r => r.Name == "analysis");

        var gatewayEnv = ProjectEnvironment.Build(gateway, new Uri("http://127.0.0.1:18888"), "0.0.0.0");
        var analysisEnv = ProjectEnvironment.Build(analysis, new Uri("http://127.0.0.1:18888"), "0.0.0.0");

        Assert.Contains("Database=voicedb", gatewayEnv["ConnectionStrings__voicedb"]);
        Assert.Contains($"Port={app.Resources.Single(r => r.Name == "postgres").GetEndpoint("tcp").AllocatedPort}", gatewayEnv["ConnectionStrings__voicedb"]);
        Assert.Equal(analysis.GetEndpoint("grpc").Url.ToString().TrimEnd('/'), gatewayEnv["services__analysis__grpc__0"]);
        Assert.Equal(analysis.GetEndpoint("http").Url.ToString().TrimEnd('/'), gatewayEnv["services__analysis__http__0"]);
        Assert.Equal($"http://0.0.0.0:{gateway.GetEndpoint("http").AllocatedPort}", gatewayEnv["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("s3cret", gatewayEnv["WEBHOOK_SECRET"]);
        Assert.Equal("gateway", gatewayEnv["OTEL_SERVICE_NAME"]);
        Assert.Equal("http://127.0.0.1:18888", gatewayEnv["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", gatewayEnv["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Null(gatewayEnv["ASPNETCORE_URLS"]);

        Assert.Equal($"http://127.0.0.1:{analysis.GetEndpoint("grpc").AllocatedPort}", analysisEnv["Kestrel__Endpoints__grpc__Url"]);
        Assert.Equal("Http2", analysisEnv["Kestrel__Endpoints__grpc__Protocols"]);
        Assert.Equal("Http1", analysisEnv["Kestrel__Endpoints__http__Protocols"]);
        Assert.True(analysisEnv.ContainsKey("services__crm__grpc__0"));
        Assert.False(analysisEnv.ContainsKey("services__gateway__http__0"));
    }

    [Fact]
    public async Task UnsetSecretsAreNotPassedDownAndTheWebhookSecretIsGenerated()
    {
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o =>
        {
            o.Configuration["OPENAI_API_KEY"] = "";
            o.Configuration["Parameters:openai-api-key"] = "";
            o.Configuration["WEBHOOK_SECRET"] = "";
            o.Configuration["Parameters:webhook-secret"] = "";
        });
        foreach (var endpoint in app.Resources.SelectMany(r => r.Endpoints))
        {
            endpoint.AllocatedPort = 1;
        }
        var analysis = app.Resources.OfType<ProjectResource>().Single(r => r.Name == "analysis");

        Assert.False(ProjectEnvironment.Build(analysis, null, "127.0.0.1").ContainsKey("OPENAI_API_KEY"));
        var secret = app.GetParameterValue("webhook-secret");
        Assert.Equal(48, secret?.Length);
        Assert.True(app.Resources.OfType<ParameterResource>().Single(p => p.Name == "webhook-secret").IsGenerated);
    }

    [Fact]
    public async Task AspireParameterKeyWinsOverTheSeedVariableName()
    {
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o =>
        {
            o.Configuration["WEBHOOK_SECRET"] = "from-seed-name";
            o.Configuration["Parameters:webhook-secret"] = "from-aspire-key";
        });

        Assert.Equal("from-aspire-key", app.GetParameterValue("webhook-secret"));
    }

    [Fact]
    public async Task AConnectionStringGivenToTheAppHostMakesPostgresExternal()
    {
        const string External = "Host=db.example;Port=5433;Username=u;Password=p;Database=calls";
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o => o.Configuration["ConnectionStrings:voicedb"] = External);

        var postgres = app.Resources.OfType<PostgresServerResource>().Single();
        Assert.Equal(PostgresMode.External, postgres.Mode);
        Assert.Equal(External, app.GetConnectionString("voicedb"));
    }

    [Fact]
    public async Task ExternalModeWithoutAConnectionStringSaysWhatToSet()
    {
        await using var app = await DistributedApplicationTestingBuilder.CreateAsync(o => o.Configuration["AppHost:Postgres:Mode"] = "external");

        var error = await Assert.ThrowsAsync<AppHostSetupException>(() => app.StartAsync());

        Assert.Contains("ConnectionStrings__voicedb", error.Message);
    }

    [Fact]
    public void AWaitForCycleIsRejectedWhenTheModelIsBuilt()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        var a = builder.AddProject("a", "../Gateway/Gateway.csproj").WithHttpEndpoint();
        var b = builder.AddProject("b", "../Gateway/Gateway.csproj").WithHttpEndpoint().WaitFor(a);
        a.WaitFor(b);

        var error = Assert.Throws<InvalidOperationException>(builder.Build);

        Assert.Contains("a -> b -> a", error.Message);
    }

    [Fact]
    public void ResourceNamesMustBeKebabCase()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        Assert.Throws<ArgumentException>(() => builder.AddProject("Gateway_1", "../Gateway/Gateway.csproj"));
    }

    [Fact]
    public void LogBufferKeepsOnlyTheNewestLines()
    {
        var buffer = new AppHost.State.ResourceLogBuffer(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Add($"line {i}", isError: false);
        }

        Assert.Equal(["line 3", "line 4", "line 5"], buffer.GetLines().Select(l => l.Text));
        Assert.Equal(["line 5"], buffer.GetLines(afterSequence: 4).Select(l => l.Text));
    }
}
