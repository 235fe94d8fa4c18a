namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// One sender's requests over a sliding window kept in equal segments. Besides "may it send now?", it knows when
/// it may send next: the moment enough of its oldest segments have slid out of the window, which is what an honest
/// <c>Retry-After</c> says. Not thread-safe: the caller locks it.
/// </summary>
public sealed class SlidingWindowCounter(int permitLimit, TimeSpan window, int segments)
{
    private readonly long[] _counts = new long[segments];
    private readonly long _segmentTicks = window.Ticks / segments;
    private long _lastSegment = long.MinValue;

    /// <summary>The segment of the latest request; a counter idle for a whole window holds nothing.</summary>
    public long LastSegment => _lastSegment;

    public long SegmentOf(DateTimeOffset now) => now.UtcTicks / _segmentTicks;

    /// <summary>Counts one request at <paramref name="now"/> if the window has room; otherwise how long until it has.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryAfter)
    {
        var current = SegmentOf(now);
        Advance(current);
        var total = _counts.Sum();
        if (total < permitLimit)
        {
            _counts[current % segments]++;
            retryAfter = TimeSpan.Zero;
            return true;
        }
        // Walk from the oldest segment: once the ones that have slid out free enough room, that is the time.
        var freed = 0L;
        for (var segment = current - segments + 1; segment <= current; segment++)
        {
            freed += _counts[Index(segment)];
            if (total - freed < permitLimit)
            {
                retryAfter = TimeSpan.FromTicks((segment + segments) * _segmentTicks - now.UtcTicks);
                return false;
            }
        }
        retryAfter = window;
        return false;
    }

    private long Index(long segment) => ((segment % segments) + segments) % segments;

    private void Advance(long current)
    {
        if (_lastSegment == long.MinValue || current - _lastSegment >= segments)
        {
            Array.Clear(_counts);
        }
        else
        {
            for (var segment = _lastSegment + 1; segment <= current; segment++)
            {
                _counts[Index(segment)] = 0;
            }
        }
        _lastSegment = Math.Max(_lastSegment, current);
    }
}
