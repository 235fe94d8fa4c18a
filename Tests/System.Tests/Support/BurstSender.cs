using System.Collections.Concurrent;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Sends a run's distinct webhooks with bounded concurrency at a paced rate (so that faults injected meanwhile hit
/// a burst in progress), counting how many have been handed out so a fault schedule can follow progress.
/// </summary>
public sealed class BurstSender(WebhookSender sender, string prefix, int count, int concurrency, double perSecond)
{
    private int _started;

    public int Started => Volatile.Read(ref _started);

    public int Count => count;

    public async Task<IReadOnlyCollection<Delivery>> RunAsync(CancellationToken cancellationToken = default)
    {
        var deliveries = new ConcurrentBag<Delivery>();
        using var slots = new SemaphoreSlim(concurrency);
        var pace = TimeSpan.FromSeconds(1 / perSecond);
        var clock = global::System.Diagnostics.Stopwatch.StartNew();
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = pace * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
            await slots.WaitAsync(cancellationToken);
            Interlocked.Increment(ref _started);
            var conversationId = WebhookBodies.ConversationId(prefix, i);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    deliveries.Add(await sender.SendAsync(conversationId, WebhookBodies.Transcription(conversationId), cancellationToken));
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(tasks);
        return deliveries;
    }

    /// <summary>Completes once at least <paramref name="fraction"/> of the webhooks have been handed out.</summary>
    public async Task ReachedAsync(double fraction)
    {
        while (Started < count * fraction)
        {
            await Task.Delay(20);
        }
    }
}
