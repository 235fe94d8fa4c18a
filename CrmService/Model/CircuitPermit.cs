namespace VoiceAnalytics.CrmService.Model;

/// <summary>
/// The breaker's answer to "may I call the CRM?". An allowed call reports its outcome with the permit, so an
/// outcome from an older state (a call that started before the breaker opened) cannot move the new state.
/// </summary>
/// <remarks>RetryAt: When refused: when to ask again (the half-open time while open).</remarks>
public readonly record struct CircuitPermit(bool Allowed, long Generation, bool Probe, DateTimeOffset? RetryAt);
