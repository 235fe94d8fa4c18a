namespace VoiceAnalytics.CrmService.Creatio;

public enum CircuitState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}
