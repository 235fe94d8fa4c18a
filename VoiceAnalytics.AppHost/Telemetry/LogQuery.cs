namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>
/// Filters for structured logs; null means "any". <see cref="Level"/> is a minimum (Warning shows warnings,
/// errors and critical). <see cref="AfterSequence"/> lets a live view fetch only what is new.
/// </summary>
public sealed record LogQuery(
    string? Service = null,
    string? Level = null,
    string? Text = null,
    string? ConversationId = null,
    string? TraceId = null,
    long AfterSequence = 0,
    int Limit = 500);
