namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>
/// Marks the provider call running in this async flow as holding a throttle slot, so that the request pipeline
/// (<see cref="ThrottledSendPolicy"/>) confirms the call's start at the moment its request is sent. The mark
/// flows into the SDK's pipeline without widening the analyzer interface, which the offline analyzer shares.
/// </summary>
public static class ThrottledCall
{
    private static readonly AsyncLocal<LlmThrottle?> CurrentThrottle = new();

    /// <summary>The throttle whose slot the current call holds; null outside a throttled call.</summary>
    public static LlmThrottle? Current => CurrentThrottle.Value;

    /// <summary>Marks the current flow (nothing when <paramref name="throttle"/> is null) until the scope is disposed.</summary>
    public static Scope Enter(LlmThrottle? throttle)
    {
        var previous = CurrentThrottle.Value;
        CurrentThrottle.Value = throttle;
        return new Scope(previous);
    }

    /// <summary>Restores the mark that was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope(LlmThrottle? previous) : IDisposable
    {
        public void Dispose() => CurrentThrottle.Value = previous;
    }
}
