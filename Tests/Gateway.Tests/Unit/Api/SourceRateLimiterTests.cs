using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VoiceAnalytics.Gateway.Api;

namespace VoiceAnalytics.Gateway.Tests.Unit.Api;

public sealed class SourceRateLimiterTests
{
    private static readonly IPAddress Source = IPAddress.Parse("203.0.113.9");

    private static SourceRateLimiter Limiter(int perMinute, TimeProvider clock) =>
        new(Options.Create(new WebhookOptions { RateLimitPerMinute = perMinute }), clock);

    [Fact]
    public void RetryAfterIsTheTimeUntilTheWindowHasRoomAgainAndWaitingThatLongIsEnough()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        var limiter = Limiter(3, clock);
        Assert.True(limiter.TryAcquire(Source));
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.True(limiter.TryAcquire(Source));
        Assert.True(limiter.TryAcquire(Source));

        // The first request (at 0 s) leaves the sliding minute at 60 s: 35 s from now, not "10".
        Assert.False(limiter.TryAcquire(Source, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(35), retryAfter);

        clock.Advance(retryAfter - TimeSpan.FromSeconds(1));
        Assert.False(limiter.TryAcquire(Source, out var stillWaiting));
        Assert.Equal(TimeSpan.FromSeconds(1), stillWaiting);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(Source));
    }

    [Fact]
    public void ABurstAtAWindowEdgeCannotPassTwiceTheLimit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 50, TimeSpan.Zero));
        var limiter = Limiter(5, clock);
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(Source)));
        clock.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(0, Enumerable.Range(0, 10).Count(_ => limiter.TryAcquire(Source)));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("203.0.113.10")), "another source has its own window");
    }
}
