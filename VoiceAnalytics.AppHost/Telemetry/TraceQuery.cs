namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Filters for the traces list; null means "any".</summary>
public sealed record TraceQuery(
    string? Service = null, string? ConversationId = null, string? Text = null, bool ErrorsOnly = false, int Limit = 200);
