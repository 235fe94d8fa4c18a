namespace VoiceAnalytics.AppHost.State;

/// <summary>Wakes everyone waiting for some resource state (health gates, tests, the dashboard) on any change.</summary>
public sealed class ResourceChangeSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after every change, with the resource's new snapshot.</summary>
    public event Action<ResourceSnapshot>? Changed;

    public void Notify(ResourceSnapshot snapshot)
    {
        TaskCompletionSource current;
        lock (_lock)
        {
            current = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        current.SetResult();
        Changed?.Invoke(snapshot);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every change.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                next = _next.Task;
            }
            if (condition())
            {
                return;
            }
            await next.WaitAsync(cancellationToken);
        }
    }
}
