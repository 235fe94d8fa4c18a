using VoiceAnalytics.Infrastructure.Jobs;

namespace VoiceAnalytics.Infrastructure.Tests.Unit;

public sealed class JobBackoffTests
{
    [Theory]
    [InlineData(1, 5, 10)]
    [InlineData(2, 10, 20)]
    [InlineData(4, 40, 80)]
    [InlineData(30, 300, 600)]
    public void DelayDoublesPerAttemptWithJitterUpToTheCap(int attempt, double minSeconds, double maxSeconds)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200)
            .Select(_ => JobBackoff.Delay(attempt, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10), random).TotalSeconds)
            .ToList();

        Assert.All(delays, d => Assert.InRange(d, minSeconds, maxSeconds));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the retries");
    }
}
