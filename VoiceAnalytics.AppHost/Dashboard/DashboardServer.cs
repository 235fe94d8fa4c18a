using System.Net;
using VoiceAnalytics.AppHost.Orchestration;
using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>
/// The AppHost's own web app on 127.0.0.1 only: the resources API, the OTLP receiver and the dashboard UI
/// (Dashboard/DashboardExtensions). Only loopback host names are accepted, so a web page cannot reach it through DNS rebinding.
/// </summary>
internal sealed class DashboardServer(IResourceService resources, int port) : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");

    /// <summary>The browser login link with this run's token (<c>/login?t=…</c>).</summary>
    public Uri LoginUrl { get; private set; } = new("http://127.0.0.1/login");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DashboardServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(resources);
        builder.Services.AddHostFiltering(options => options.AllowedHosts = ["localhost", "127.0.0.1"]);
        builder.Services.AddDashboard(printLoginLink: false);
        var app = builder.Build();
        app.UseHostFiltering();
        app.MapResourcesApi();
        app.MapDashboard();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new AppHostSetupException(
                $"The dashboard cannot listen on 127.0.0.1:{port} ({ex.Message}). Set AppHost__DashboardPort to a free port (0: any).");
        }
        _app = app;
        LoginUrl = new Uri(app.Services.GetRequiredService<DashboardToken>().LoginUrl(Url.ToString()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
