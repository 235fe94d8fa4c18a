namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Runs a short command (initdb, pg_ctl, docker) to completion, its output going to the resource's log.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(ProcessSpec spec, Action<string, bool> onLine, CancellationToken cancellationToken)
    {
        var process = await ManagedProcess.StartAsync(spec, onLine);
        try
        {
            return await process.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
    }

    /// <summary>Runs the command and throws with its last output lines when it fails.</summary>
    public static async Task RunCheckedAsync(ProcessSpec spec, Action<string, bool> onLine, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        var code = await RunAsync(spec, (line, isError) =>
        {
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 5)
                {
                    tail.Dequeue();
                }
            }
            onLine(line, isError);
        }, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(spec.FileName)} failed with exit code {code}: {string.Join(" | ", tail)}");
        }
    }
}
