using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Runs the steps of a whole-app start within one time limit and makes a start that cannot finish fail at once,
/// saying why: a resource that fails, exits or finishes while the app starts ends the start immediately, and a
/// step still running at the limit (even one that ignores its cancellation) is abandoned. Either way the exception
/// names the step and shows every resource's state and health checks, the last console lines of those not ready,
/// and the AppHost's own last log lines.
/// </summary>
public sealed class StartupWatch : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly ConsoleLogs _logs;
    private readonly AppHostLog _hostLog;
    private readonly TimeSpan _limit;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _watcher;

    public StartupWatch(DistributedApplication app, ConsoleLogs logs, AppHostLog hostLog, TimeSpan limit)
    {
        _app = app;
        _logs = logs;
        _hostLog = hostLog;
        _limit = limit;
        _watcher = Task.Run(WatchForFailuresAsync);
    }

    /// <summary>Runs one step of the start with what is left of the time limit; <paramref name="step"/> says what it waits for.</summary>
    public async Task RunAsync(string step, Func<CancellationToken, Task> work)
    {
        var left = _limit - _elapsed.Elapsed;
        using var cts = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        var running = work(cts.Token);
        var limit = Task.Delay(Timeout.InfiniteTimeSpan, cts.Token);
        var first = await Task.WhenAny(running, _failed.Task, limit);
        if (first == running)
        {
            try
            {
                await running;
                return;
            }
            catch (Exception ex) when (!_failed.Task.IsCompleted)
            {
                throw new InvalidOperationException(Report(step, $"it failed: {ex.GetType().Name}: {ex.Message}"), ex);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(Report(step, await _failed.Task), ex);
            }
        }
        await cts.CancelAsync();
        ObserveLater(running);
        throw first == _failed.Task
            ? new InvalidOperationException(Report(step, await _failed.Task))
            : new TimeoutException(Report(step, $"it was still running after {_limit.TotalSeconds:0} s for the whole start"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watcher;
        _stop.Dispose();
    }

    private async Task WatchForFailuresAsync()
    {
        try
        {
            await foreach (var e in _app.ResourceNotifications.WatchAsync(_stop.Token))
            {
                if (e.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state))
                {
                    var exit = e.Snapshot.ExitCode is { } code ? $", exit code {code.ToString(CultureInfo.InvariantCulture)}" : "";
                    _failed.TrySetResult($"resource {e.Resource.Name} went to {state}{exit} while the app was starting");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The start is over.
        }
    }

    private string Report(string step, string what)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The whole app did not start: {what}. Step: {step}; {_elapsed.Elapsed.TotalSeconds:0} s into the start.\n");
        var failed = new List<string>();
        var notReady = new List<string>();
        foreach (var resource in _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Where(r => r is not ParameterResource))
        {
            if (!_app.ResourceNotifications.TryGetCurrentState(resource.Name, out var current))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {resource.Name}: no state yet (not created by the orchestrator)\n");
                notReady.Add(resource.Name);
                continue;
            }
            var snapshot = current.Snapshot;
            if (snapshot.IsHidden)
            {
                continue; // Aspire's own helpers (a project's "-rebuilder"), never started in a test run
            }
            var state = snapshot.State?.Text ?? "no state";
            text.Append(CultureInfo.InvariantCulture, $"  {resource.Name}: {state}, health {snapshot.HealthStatus?.ToString() ?? "-"}");
            foreach (var check in snapshot.HealthReports.Where(r => r.Status != HealthStatus.Healthy))
            {
                text.Append(CultureInfo.InvariantCulture, $"; check {check.Name}: {check.Status?.ToString() ?? "not run yet"} {check.Description ?? check.ExceptionText?.Split('\n')[0]}");
            }
            text.Append('\n');
            var needsHealth = snapshot.HealthReports.Length > 0;
            if (KnownResourceStates.TerminalStates.Contains(state))
            {
                failed.Add(resource.Name);
            }
            else if (state != KnownResourceStates.Running || (needsHealth && snapshot.HealthStatus != HealthStatus.Healthy))
            {
                notReady.Add(resource.Name);
            }
        }
        // A resource that failed usually says why above a long stack trace: more of its lines, and first.
        foreach (var (name, lines) in failed.Select(n => (n, 60)).Concat(notReady.Select(n => (n, 15))))
        {
            var tail = _logs.Tail(name, lines);
            text.Append(CultureInfo.InvariantCulture, $"Last console lines of {name}:\n{(tail.Length > 0 ? tail : "  (none)")}\n");
        }
        text.Append(CultureInfo.InvariantCulture, $"The AppHost's last log lines:\n{_hostLog.Tail()}");
        return text.ToString();
    }

    /// <summary>A step abandoned at the limit may still fail later; its exception is not left unobserved.</summary>
    private static void ObserveLater(Task running) =>
        running.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
