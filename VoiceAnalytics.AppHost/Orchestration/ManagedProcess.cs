using System.Diagnostics;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>A running child: its output goes line by line to a callback, <see cref="Exited"/> completes with its exit code.</summary>
internal sealed class ManagedProcess
{
    private readonly Process _process;

    private ManagedProcess(Process process, Action<string, bool> onLine)
    {
        _process = process;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Forward(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Nothing is ever typed into a service: closing stdin keeps it from waiting on the terminal.
        process.StandardInput.Close();
        Exited = WaitForExitCodeAsync();

        void Forward(string? line, bool isError)
        {
            if (line is not null)
            {
                onLine(line, isError);
            }
        }
    }

    public int Pid { get; }

    /// <summary>Completes with the exit code once the process has ended and its output is drained.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static async Task<ManagedProcess> StartAsync(ProcessSpec spec, Action<string, bool> onLine) =>
        new(await ProcessSpawner.StartAsync(spec), onLine);

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            PosixProcesses.Signal(Pid, signal);
        }
    }

    /// <summary>Asks the process to stop with <paramref name="signal"/>, and kills its whole tree if it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        Signal(signal);
        await WaitOrKillAsync(grace);
    }

    /// <summary>Waits for the process to end, killing its tree when <paramref name="grace"/> runs out.</summary>
    public async Task WaitOrKillAsync(TimeSpan grace)
    {
        if (await Task.WhenAny(Exited, Task.Delay(grace)) == Exited)
        {
            return;
        }
        Kill();
        await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(2)));
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task<int> WaitForExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        var code = _process.ExitCode;
        _process.Dispose();
        return code;
    }
}
