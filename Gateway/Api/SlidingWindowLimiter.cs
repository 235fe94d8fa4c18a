using System.Threading.RateLimiting;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// A <see cref="RateLimiter"/> over a <see cref="SlidingWindowCounter"/> (a minute in six steps), for the ASP.NET Core
/// rate limiting middleware. Unlike the built-in limiters, a refused lease's <see cref="MetadataName.RetryAfter"/> is
/// the time until the window truly has room again. Clocked by <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingWindowLimiter(int permitsPerMinute, TimeProvider time) : RateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly SlidingWindowCounter _counter = new(permitsPerMinute, Window, 6);
    private DateTimeOffset _lastAcquire = time.GetUtcNow();

    /// <summary>Idle once a whole window has passed without a request: it holds nothing then and may be dropped.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_counter)
            {
                var idle = time.GetUtcNow() - _lastAcquire;
                return idle >= Window ? idle : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var now = time.GetUtcNow();
        lock (_counter)
        {
            _lastAcquire = now;
            return _counter.TryAcquire(now, out var retryAfter) ? Lease.Acquired : new Lease(false, retryAfter);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        new(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, TimeSpan.Zero);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = !acquired && metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
