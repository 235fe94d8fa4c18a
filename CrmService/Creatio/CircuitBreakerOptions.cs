using System.ComponentModel.DataAnnotations;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// The CRM circuit breaker (<c>Crm:Breaker</c>): opens after 5 consecutive failed exports, stays open 60 s, then
/// lets 3 probes through at once and closes after 2 of them succeed.
/// </summary>
public sealed class CircuitBreakerOptions
{
    [Range(1, 1000)]
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long the breaker stays open before it lets probes through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Calls allowed through at once while half-open; the others are turned away.</summary>
    [Range(1, 100)]
    public int HalfOpenProbes { get; set; } = 3;

    [Range(1, 100)]
    public int SuccessesToClose { get; set; } = 2;

    /// <summary>How long a call turned away while half-open (all probe slots busy) waits before it asks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan HalfOpenBusyRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
