using System.Collections.Concurrent;
using System.Diagnostics;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// Starts child processes, wrapped in <c>setpriv --pdeathsig</c> so they stop when the AppHost dies (even by
/// SIGKILL). Linux sends that signal when the <em>thread</em> that forked the child exits, and thread-pool threads
/// come and go, so every fork happens on one dedicated thread that lives as long as the process. Each child also
/// gets its own session (<c>setsid</c>): Ctrl+C reaches only the AppHost, which then stops the services before
/// the database they use.
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Worker = new(() =>
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "apphost-process-spawner" };
        thread.Start();
        return thread;
    });

    public static Task<Process> StartAsync(ProcessSpec spec)
    {
        _ = Worker.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((ToStartInfo(spec), started));
        return started.Task;
    }

    public static ProcessStartInfo ToStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var runAs = spec.RunAsUser is not null && Executables.RunsAsRoot ? spec.RunAsUser : null;
        if (Executables.SetPriv is { } setpriv)
        {
            if (Executables.SetSid is { } setsid)
            {
                // A forked child is never a process-group leader, so setsid execs in place: the pid stays the child's.
                info.FileName = setsid;
                info.ArgumentList.Add(setpriv);
            }
            else
            {
                info.FileName = setpriv;
            }
            info.ArgumentList.Add($"--pdeathsig={spec.DeathSignal}");
            if (runAs is not null)
            {
                info.ArgumentList.Add($"--reuid={runAs}");
                info.ArgumentList.Add($"--regid={runAs}");
                info.ArgumentList.Add("--init-groups");
            }
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(spec.FileName);
        }
        else if (runAs is not null)
        {
            info.FileName = Executables.RunUser ?? "runuser";
            foreach (var argument in new[] { "-u", runAs, "--", spec.FileName })
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = spec.FileName;
        }
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        return info;
    }

    private static void Serve()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
