namespace VoiceAnalytics.AppHost.State;

/// <summary>One console line of a resource; <see cref="Sequence"/> increases per resource so a tail can resume.</summary>
public sealed record LogLine(long Sequence, DateTimeOffset Timestamp, bool IsError, string Text);
