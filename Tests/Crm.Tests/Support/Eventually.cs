namespace VoiceAnalytics.Crm.Tests.Support;

/// <summary>Waits for something that happens in the background; fails after a generous limit (never a timing assertion).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for: {what}");
            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, int seconds = 60) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);
}
