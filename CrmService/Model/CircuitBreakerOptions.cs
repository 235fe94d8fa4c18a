using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.CrmService.Model;

/// <summary>The seed's (002) breaker: opens after 5 consecutive failures, stays open 60 s, closes after 2 successes.</summary>
public sealed class CircuitBreakerOptions
{
    [Range(1, 1000)]
    public int FailureThreshold { get; set; } = 5;

    [Range(1, 86_400)]
    public int OpenSeconds { get; set; } = 60;

    /// <summary>Calls allowed through at once while half-open; the others wait.</summary>
    [Range(1, 100)]
    public int HalfOpenMaxProbes { get; set; } = 2;

    [Range(1, 100)]
    public int SuccessesToClose { get; set; } = 2;

    /// <summary>How long a call turned away while half-open (all probe slots busy) waits before it asks again.</summary>
    [Range(1, 3600)]
    public int HalfOpenBusyRetrySeconds { get; set; } = 5;
}
