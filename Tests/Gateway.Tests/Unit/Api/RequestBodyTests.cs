using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Tests.Support;

namespace VoiceAnalytics.Gateway.Tests.Unit.Api;

public sealed class RequestBodyTests
{
    private const int Limit = 64 * 1024 * 1024;

    [Fact]
    public async Task ManySlowSendersThatDeclareAHugeBodyHoldOnlyWhatTheySent()
    {
        const int senders = 40;
        var pool = new CountingArrayPool();
        var finish = new TaskCompletionSource();
        using var waiting = new CountdownEvent(senders);
        var reads = Enumerable.Range(0, senders).Select(_ => Task.Run(() =>
            RequestBody.ReadAsync(new TricklingStream(240, finish.Task, waiting), contentLength: Limit, Limit, pool, CancellationToken.None))).ToList();

        // Every sender has sent its first 240 bytes and is now trickling: what is held is at most one first
        // buffer each (16 KiB), not the 64 MiB each of them declared.
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(30)), "the senders did not all start");
        Assert.InRange(pool.Outstanding, senders * 240, senders * 16 * 1024);

        finish.SetResult();
        foreach (var read in reads)
        {
            using var body = await read;
            Assert.Equal(240, body!.Length);
        }
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task ABodyLargerThanTheFirstBufferGrowsWithWhatArrivesAndIsKeptExactly()
    {
        var pool = new CountingArrayPool();
        var bytes = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i * 7)).ToArray();

        using (var body = await RequestBody.ReadAsync(new MemoryStream(bytes), bytes.Length, Limit, pool, CancellationToken.None))
        {
            Assert.Equal(bytes, body!.Span.ToArray());
        }

        Assert.InRange(pool.Peak, bytes.Length, 3L * bytes.Length);
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task ABodyThatPassesTheLimitWhileArrivingIsRefusedAndReturnsItsBuffer()
    {
        var pool = new CountingArrayPool();

        var body = await RequestBody.ReadAsync(new MemoryStream(new byte[5000]), contentLength: null, maxBytes: 4096, pool, CancellationToken.None);

        Assert.Null(body);
        Assert.Equal(0, pool.Outstanding);
        Assert.True(pool.Peak <= 4097 + 16 * 1024);
    }
}
