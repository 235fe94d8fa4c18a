namespace VoiceAnalytics.Infrastructure.Jobs;

/// <summary>
/// Wakes every idle claim loop at once. Loops take <see cref="Next"/> before they look for work, so a wake-up
/// that arrives while they are looking is not lost.
/// </summary>
internal sealed class JobWakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Wake()
    {
        var woken = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        woken.TrySetResult();
    }
}
