using Npgsql;

namespace VoiceAnalytics.TestSupport;

/// <summary>
/// Polls a condition that becomes true in the background until it holds. The limit is generous (the machine is
/// shared and slow at times) and only bounds a failing test: no timing is asserted.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>Waits until <paramref name="condition"/> is true; HTTP and database errors count as "not yet".</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what = "the condition", int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(condition);
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
            await Task.Delay(PollInterval);
        }
    }

    /// <inheritdoc cref="TrueAsync(Func{Task{bool}}, string, int)"/>
    public static Task TrueAsync(Func<bool> condition, string what = "the condition", int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return TrueAsync(() => Task.FromResult(condition()), what, seconds);
    }
}
