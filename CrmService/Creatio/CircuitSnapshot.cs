namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>The breaker as metrics and the gRPC API see it.</summary>
/// <remarks>RetryAt: While open: when it turns half-open and lets probes through.</remarks>
public sealed record CircuitSnapshot(CircuitState State, int ConsecutiveFailures, DateTimeOffset? OpenedAt, DateTimeOffset? RetryAt)
{
    /// <summary>closed | open | half_open, as the proto spells it.</summary>
    public string StateName => State switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        _ => "closed",
    };
}
