using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>Prints the dashboard login link once the server listens, as Aspire prints its dashboard URL.</summary>
public sealed class DashboardLoginPrinter(IServer server, IHostApplicationLifetime lifetime, DashboardToken token) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:18888";
            Console.WriteLine($"Dashboard: {token.LoginUrl(address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal))}");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
