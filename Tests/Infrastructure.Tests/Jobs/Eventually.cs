namespace VoiceAnalytics.Infrastructure.Tests.Jobs;

/// <summary>Waits for a condition that becomes true in the background; fails after a generous limit.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(20);
        }
    }
}
