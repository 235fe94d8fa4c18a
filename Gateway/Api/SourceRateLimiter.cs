using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Per-source-address limit (seed 002: 1000 requests a minute per provider), over a sliding minute in six
/// steps so a burst at a window's edge cannot pass twice the limit.
/// </summary>
public sealed class SourceRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _limiter;

    public SourceRateLimiter(IOptions<WebhookOptions> options)
    {
        var perMinute = options.Value.RateLimitPerMinute;
        if (perMinute > 0)
        {
            _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetSlidingWindowLimiter(
                address, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                }));
        }
    }

    /// <summary>True when <paramref name="address"/> may send one more request now.</summary>
    public bool TryAcquire(IPAddress? address)
    {
        if (_limiter is null)
        {
            return true;
        }
        using var lease = _limiter.AttemptAcquire(address ?? IPAddress.None);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter?.Dispose();
}
