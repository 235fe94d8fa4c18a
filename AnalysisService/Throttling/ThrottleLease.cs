namespace VoiceAnalytics.AnalysisService.Throttling;

/// <summary>A held start slot; give it back with <see cref="LlmThrottle.ReleaseAsync"/>.</summary>
/// <param name="Id">The lease row's id.</param>
/// <param name="EstimatedTokens">What the call was counted for in the tokens-per-minute window.</param>
/// <param name="Waited">How long the caller waited for the slot.</param>
public sealed record ThrottleLease(Guid Id, int EstimatedTokens, TimeSpan Waited);
