using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using VoiceAnalytics.AppHost.State;
using VoiceAnalytics.AppHost.Testing;

namespace VoiceAnalytics.System.Tests;

/// <summary>The whole app booted through the AppHost's testing entry point: embedded Postgres in a temp folder, the three services.</summary>
public sealed class WholeAppTests
{
    // Generous: the machine is shared and builds run beside the tests. Timeouts here are guards, not assertions.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AllResourcesGetHealthyACrashIsShownAndRestartedAndNothingIsLeftBehind()
    {
        var app = await DistributedApplicationTestingBuilder.CreateAsync();
        var dataDirectory = app.DataDirectory;
        var pids = new HashSet<int>();
        try
        {
            await app.StartAsync();
            await app.WaitForAllHealthyAsync(Patience);
            using var http = new HttpClient { BaseAddress = app.DashboardUrl };

            var resources = (await http.GetFromJsonAsync<List<ResourceSnapshot>>("/api/resources"))!;
            Assert.Equal(["postgres", "voicedb", "gateway", "analysis", "crm"], resources.Select(r => r.Name));
            Assert.All(resources, r => Assert.Equal((KnownResourceStates.Running, KnownHealthStates.Healthy), (r.State, r.Health)));
            foreach (var resource in resources.Where(r => r.Type is "Project" or "Postgres"))
            {
                Assert.True(resource.Pid is > 0, $"{resource.Name} has no pid");
                pids.Add(resource.Pid!.Value);
            }
            using (var health = await new HttpClient().GetAsync(new Uri(app.GetEndpoint("gateway", "http"), "/health")))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            // A crash: the service is shown as exited with the signal's exit code, and a restart brings it back.
            var analysisPid = resources.Single(r => r.Name == "analysis").Pid!.Value;
            KillHard(analysisPid);
            await app.WaitForResourceStateAsync("analysis", KnownResourceStates.Exited, Patience);
            var crashed = await http.GetFromJsonAsync<ResourceSnapshot>("/api/resources/analysis");
            Assert.Equal(KnownResourceStates.Exited, crashed!.State);
            Assert.Equal(137, crashed.ExitCode);
            Assert.Null(crashed.Pid);

            using (var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/resources/analysis/restart"))
            {
                crossSite.Headers.Add("Origin", "http://evil.example");
                using var refused = await http.SendAsync(crossSite);
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            }
            using (var restart = await http.PostAsync("/api/resources/analysis/restart", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, restart.StatusCode);
            }
            await app.WaitForResourceHealthyAsync("analysis", Patience);
            var restarted = await http.GetFromJsonAsync<ResourceSnapshot>("/api/resources/analysis");
            Assert.Equal(1, restarted!.Restarts);
            Assert.NotEqual(analysisPid, restarted.Pid);
            pids.Add(restarted.Pid!.Value);

            // Postgres killed outright leaves a stale postmaster.pid; starting it again must not trip over it.
            var postgresPid = resources.Single(r => r.Name == "postgres").Pid!.Value;
            KillHard(postgresPid);
            await app.WaitForResourceStateAsync("postgres", KnownResourceStates.Exited, Patience);
            using (var restart = await http.PostAsync("/api/resources/postgres/restart", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, restart.StatusCode);
            }
            await app.WaitForAllHealthyAsync(Patience);
            var postgres = await http.GetFromJsonAsync<ResourceSnapshot>("/api/resources/postgres");
            pids.Add(postgres!.Pid!.Value);
            Assert.Contains(app.ResourceService.GetLogs("postgres")!.GetLines(), l => l.Text.Contains("stale postmaster.pid", StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"process {pid} is still running"));
        Assert.Empty(ProcessesMentioning(dataDirectory));
        Assert.False(Directory.Exists(dataDirectory));
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would.</summary>
    private static void KillHard(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<string> ProcessesMentioning(string text) =>
        [.. Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' '); } catch (IOException) { return ""; } })
            .Where(cmdline => cmdline.Contains(text, StringComparison.Ordinal))];
}
