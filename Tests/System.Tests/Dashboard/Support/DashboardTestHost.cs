using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VoiceAnalytics.AppHost.Dashboard;
using VoiceAnalytics.AppHost.State;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>
/// The dashboard web app on a real Kestrel port (127.0.0.1:0), wired with the same AddDashboard/MapDashboard
/// calls the AppHost's DashboardServer uses, with a fake orchestrator and a known token.
/// </summary>
public sealed class DashboardTestHost : IAsyncDisposable
{
    public const string Token = "0123456789abcdef-test-token";

    private readonly WebApplication _app;

    private DashboardTestHost(WebApplication app, FakeResourceService resources)
    {
        _app = app;
        Resources = resources;
        BaseUrl = new Uri(app.Urls.First());
        Store = app.Services.GetRequiredService<TelemetryStore>();
    }

    public Uri BaseUrl { get; }

    public TelemetryStore Store { get; }

    public FakeResourceService Resources { get; }

    public string LoginUrl => new Uri(BaseUrl, $"/login?t={Token}").ToString();

    public static async Task<DashboardTestHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:Token"] = Token });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        var resources = new FakeResourceService();
        builder.Services.AddSingleton<IResourceService>(resources);
        builder.Services.AddDashboard(printLoginLink: false);
        var app = builder.Build();
        app.MapDashboard();
        await app.StartAsync();
        return new DashboardTestHost(app, resources);
    }

    /// <summary>A client with no session cookie.</summary>
    public HttpClient AnonymousClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseUrl };

    /// <summary>A client that has followed the login link, so it carries the session cookie.</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = BaseUrl,
        };
        using var login = await client.GetAsync($"/login?t={Token}");
        if (login.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Login answered {login.StatusCode}.");
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
