using Npgsql;

namespace VoiceAnalytics.TestSupport;

/// <summary>Polls a condition until it holds (the machine is shared and slow at times: generous, no timing asserted).</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> is true; HTTP and database errors count as "not yet".</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or NpgsqlException)
            {
                // Not there yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for: {what}");
            }
            await Task.Delay(100);
        }
    }
}
