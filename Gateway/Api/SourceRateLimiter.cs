using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Per-source-address limit (1000 requests a minute by default, what one webhook provider may send), over a sliding minute in six
/// steps so a burst at a window's edge cannot pass twice the limit. A refusal says truthfully when the source
/// may send again (the remaining part of its window, not one step).
/// </summary>
public sealed class SourceRateLimiter(IOptions<WebhookOptions> options, TimeProvider time)
{
    private const int Segments = 6;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly int _perMinute = options.Value.RateLimitPerMinute;
    private readonly ConcurrentDictionary<IPAddress, SlidingWindowCounter> _sources = new();
    private long _nextSweepSegment;

    /// <summary>True when <paramref name="address"/> may send one more request now.</summary>
    public bool TryAcquire(IPAddress? address) => TryAcquire(address, out _);

    /// <summary>True when <paramref name="address"/> may send one more request now; otherwise when it may.</summary>
    public bool TryAcquire(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_perMinute <= 0)
        {
            return true;
        }
        var now = time.GetUtcNow();
        var counter = _sources.GetOrAdd(address ?? IPAddress.None, _ => new SlidingWindowCounter(_perMinute, Window, Segments));
        bool acquired;
        long segment;
        lock (counter)
        {
            acquired = counter.TryAcquire(now, out retryAfter);
            segment = counter.SegmentOf(now);
        }
        SweepIdle(segment);
        return acquired;
    }

    // Sources quiet for a whole window hold nothing worth keeping: forget them once a window, so a scan from many
    // addresses cannot grow the table without bound.
    private void SweepIdle(long segment)
    {
        var due = Interlocked.Read(ref _nextSweepSegment);
        if (segment < due || Interlocked.CompareExchange(ref _nextSweepSegment, segment + Segments, due) != due)
        {
            return;
        }
        foreach (var (address, counter) in _sources)
        {
            bool idle;
            lock (counter)
            {
                idle = segment - counter.LastSegment >= Segments;
            }
            if (idle)
            {
                _sources.TryRemove(new KeyValuePair<IPAddress, SlidingWindowCounter>(address, counter));
            }
        }
    }
}
