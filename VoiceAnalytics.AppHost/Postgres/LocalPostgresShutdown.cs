using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;

namespace VoiceAnalytics.AppHost.Postgres;

/// <summary>
/// Stops the local server with Postgres' *fast* shutdown (SIGINT: disconnect clients, checkpoint, exit) when the
/// AppHost stops, before DCP stops its resources. DCP's own SIGTERM is Postgres' *smart* shutdown, which waits for
/// every client to disconnect; the services are stopped at the same moment, DCP's grace runs out and the server
/// is killed mid-flight ("in production" in pg_controldata, crash recovery on the next start). Registered after
/// Aspire's hosted services, so it is stopped before them.
/// </summary>
internal sealed class LocalPostgresShutdown(string dataDirectory) : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (PostmasterPid() is not { } pid || !IsRunning(pid))
        {
            return;
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)])))
        {
            await kill!.WaitForExitAsync(cancellationToken);
        }
        var deadline = DateTime.UtcNow + Patience;
        while (IsRunning(pid) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>The first line of postmaster.pid: the server's pid, while it runs.</summary>
    private int? PostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
