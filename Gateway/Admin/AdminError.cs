namespace VoiceAnalytics.Gateway.Admin;

/// <summary>The JSON body of every admin API error: a stable code and a sentence for a human.</summary>
public sealed record AdminError(string Error, string Reason);
