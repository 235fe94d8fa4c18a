using System.Collections.Concurrent;
using VoiceAnalytics.Gateway.Ingest;

namespace VoiceAnalytics.Gateway.Tests.Unit;

/// <summary>The batcher alone, with a fake commit: who is batched with whom, and who gets which answer.</summary>
public sealed class GroupCommitBatcherTests
{
    [Fact]
    public async Task ItemsArrivingDuringACommitShareTheNextCommitAndEachGetsItsOwnResult()
    {
        var gate = new TaskCompletionSource();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new GroupCommitBatcher<int, string>(async (items, _) =>
        {
            batches.Enqueue([.. items]);
            if (batches.Count == 1)
            {
                await gate.Task; // the first commit is slow; the rest pile up meanwhile
            }
            return items.Select(i => $"r{i}").ToList();
        }, maxItems: 100, maxWeight: long.MaxValue, weigh: _ => 1, writers: 1);

        var first = batcher.SubmitAsync(0);
        await WaitForAsync(() => batches.Count == 1);
        var rest = Enumerable.Range(1, 9).Select(batcher.SubmitAsync).ToList();
        gate.SetResult();

        Assert.Equal("r0", await first);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"r{i}"), await Task.WhenAll(rest));
        Assert.Equal([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]], batches.ToArray());
    }

    [Fact]
    public async Task AFailedCommitFailsOnlyTheCallersInThatBatch()
    {
        await using var batcher = new GroupCommitBatcher<int, int>((items, _) => items.Contains(13)
            ? throw new InvalidOperationException("boom")
            : Task.FromResult<IReadOnlyList<int>>(items.ToList()), maxItems: 1, maxWeight: long.MaxValue, weigh: _ => 1, writers: 1);

        var failed = batcher.SubmitAsync(13);
        var fine = batcher.SubmitAsync(14);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal(14, await fine);
    }

    [Fact]
    public async Task BatchesStopAtTheirItemAndWeightLimits()
    {
        var gate = new TaskCompletionSource();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new GroupCommitBatcher<int, int>(async (items, _) =>
        {
            batches.Enqueue([.. items]);
            await gate.Task;
            return items.ToList();
        }, maxItems: 3, maxWeight: 10, weigh: i => i, writers: 1);

        var blocker = batcher.SubmitAsync(0);
        await WaitForAsync(() => batches.Count == 1);
        // Item limit 3; weight limit 10: [1,1,1] then [8,5] (13: the limit is reached by the item that passes it), then [20] alone.
        var all = new[] { 1, 1, 1, 8, 5, 20 }.Select(batcher.SubmitAsync).ToList();
        gate.SetResult();
        await Task.WhenAll(all.Append(blocker));

        Assert.Equal([[0], [1, 1, 1], [8, 5], [20]], batches.ToArray());
    }

    [Fact]
    public async Task DisposingCommitsEverythingAlreadySubmitted()
    {
        var committed = new ConcurrentBag<int>();
        var batcher = new GroupCommitBatcher<int, int>(async (items, _) =>
        {
            await Task.Yield();
            foreach (var item in items)
            {
                committed.Add(item);
            }
            return items.ToList();
        }, maxItems: 4, maxWeight: long.MaxValue, weigh: _ => 1, writers: 2);
        var submitted = Enumerable.Range(0, 50).Select(batcher.SubmitAsync).ToList();

        await batcher.DisposeAsync();

        Assert.All(submitted, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(Enumerable.Range(0, 50), committed.Order());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => batcher.SubmitAsync(51));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition());
    }
}
