using System.Threading.Channels;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// Group commit: concurrent callers each submit one item; a writer takes every item waiting at that moment,
/// hands them to <c>commit</c> as one batch (one transaction, one WAL flush), and completes each caller with its
/// own result. Under load the batches grow by themselves, so the cost of a commit is shared; with one caller
/// a batch is one item and nothing waits for a timer.
/// </summary>
/// <remarks>
/// If <c>commit</c> throws, every caller in that batch sees the exception. A caller that gives up waiting does
/// not withdraw its item: once submitted, it is committed.
/// </remarks>
public sealed class GroupCommitBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _commit;
    private readonly Func<TItem, long> _weigh;
    private readonly int _maxItems;
    private readonly long _maxWeight;
    private readonly Task[] _writers;

    /// <param name="commit">Stores a batch and returns one result per item, in the same order.</param>
    /// <param name="maxItems">Most items per batch.</param>
    /// <param name="maxWeight">Most total weight per batch; a single heavier item still goes, alone.</param>
    /// <param name="weigh">An item's weight (bytes, say).</param>
    /// <param name="writers">Batches in flight at once.</param>
    public GroupCommitBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit,
        int maxItems, long maxWeight, Func<TItem, long> weigh, int writers)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(weigh);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _commit = commit;
        _weigh = weigh;
        _maxItems = maxItems;
        _maxWeight = maxWeight;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Queues <paramref name="item"/> for the next batch and completes with its result once committed.</summary>
    public Task<TResult> SubmitAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitBatcher<TItem, TResult>), "The batcher is shutting down.");
        }
        return pending.Completion.Task;
    }

    /// <summary>Stops taking items, commits everything already queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<Pending>();
            var items = new List<TItem>();
            long weight = 0;
            while (batch.Count < _maxItems && weight < _maxWeight && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                items.Add(pending.Item);
                weight += _weigh(pending.Item);
            }
            if (batch.Count == 0)
            {
                continue; // another writer took them
            }
            try
            {
                // Never cancelled: an item that was submitted is committed, even during shutdown.
                var results = await _commit(items, CancellationToken.None);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"The commit returned {results.Count} results for {batch.Count} items.");
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Completion);
}
