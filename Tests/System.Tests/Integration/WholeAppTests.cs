using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VoiceAnalytics.System.Tests.Support;

namespace VoiceAnalytics.System.Tests.Integration;

/// <summary>
/// The whole app through Aspire.Hosting.Testing: the five resources get healthy, a second AppHost on the same data
/// folder is refused at once, a service killed with SIGKILL shows as finished and the dashboard's Start command
/// brings it back, Postgres killed outright starts again, and nothing is left behind when the app stops.
/// </summary>
public sealed class WholeAppTests
{
    private static readonly TimeSpan Patience = StressApp.Patience;

    [Fact]
    public async Task AllResourcesGetHealthyACrashIsShownAndRestartedAndNothingIsLeftBehind()
    {
        var app = await StressApp.StartAsync();
        var dataDirectory = app.DataDirectory;
        var pids = new HashSet<int>();
        try
        {
            foreach (var name in ResourceStates.All)
            {
                var resource = app.Resource(name);
                Assert.Equal((KnownResourceStates.Running, HealthStatus.Healthy), (resource.State, resource.Health));
                if (name != "voicedb")
                {
                    Assert.True(resource.Pid is > 0, $"{name} has no pid");
                    pids.Add(resource.Pid!.Value);
                }
            }
            // The database resource is a child of the server in the dashboard.
            Assert.True(app.App.ResourceNotifications.TryGetCurrentState("voicedb", out var voicedb));
            Assert.Contains(voicedb.Snapshot.Properties, p => p.Name == "resource.parentName" && p.Value is string parent && parent.StartsWith("postgres", StringComparison.Ordinal));
            using (var health = await app.Gateway.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            // DCP's API server (postgres's grandparent: start-apiserver → run-controllers → postgres) runs with the
            // certificate the AppHost made for it instead of making an RSA key itself; the files are gone once it serves.
            var apiServer = Processes.CommandLine(Processes.ParentOf(Processes.ParentOf(app.Resource("postgres").Pid!.Value)));
            var certificate = Regex.Match(apiServer, @"^\S*dcp start-apiserver .* --tls-cert-file (\S+) --tls-key-file (\S+)$");
            Assert.True(certificate.Success, apiServer);
            Assert.False(File.Exists(certificate.Groups[1].Value) || File.Exists(certificate.Groups[2].Value), "the certificate files are still there");

            // A second AppHost on the same data folder fails at once with a message that says why.
            var second = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                using var cts = new CancellationTokenSource(Patience);
                await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VoiceAnalytics_AppHost>(
                    [$"AppHost:DataDirectory={dataDirectory}"], cts.Token);
            });
            Assert.Contains("Another AppHost is already running on the data folder", Flatten(second));

            // A crash: the service is shown as exited with the signal's exit code, and the Start command brings it back.
            var analysisPid = app.Resource("analysis").Pid!.Value;
            Processes.KillHard(analysisPid);
            var exited = await app.App.WaitForExitAsync("analysis", Patience);
            Assert.Equal(KnownResourceStates.Finished, exited.Snapshot.State?.Text); // what the dashboard shows for a process that ended
            // DCP reports -1 for a process that a signal ended (the service is DCP's own child, started as dotnet <dll>).
            Assert.Equal(-1, exited.Snapshot.ExitCode);
            Assert.Null(app.Resource("analysis").Pid);
            await app.RestartAsync("analysis");
            var restarted = app.Resource("analysis");
            Assert.NotEqual(analysisPid, restarted.Pid);
            pids.Add(restarted.Pid!.Value);

            // Postgres killed outright leaves a stale postmaster.pid; starting it again must not trip over it.
            Processes.KillHard(app.Resource("postgres").Pid!.Value);
            await app.App.WaitForExitAsync("postgres", Patience);
            await app.RestartAsync("postgres");
            await app.App.WaitForAllHealthyAsync(Patience);
            pids.Add(app.Resource("postgres").Pid!.Value);
            await app.AssertAllAliveAndHealthyAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.All(pids, pid => Assert.False(Processes.IsAlive(pid), $"process {pid} ({Processes.CommandLine(pid)}) is still running"));
        Assert.Empty(Processes.Mentioning(dataDirectory));
        Assert.False(Directory.Exists(dataDirectory));
    }

    private static string Flatten(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + " | " + Flatten(exception.InnerException);
}
