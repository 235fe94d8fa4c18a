namespace VoiceAnalytics.Gateway.Tests;

/// <summary>A clock the test sets: the signature vectors are valid only at their own timestamps.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public void SetUnixSeconds(long seconds) => Now = DateTimeOffset.FromUnixTimeSeconds(seconds);

    public override DateTimeOffset GetUtcNow() => Now;
}
