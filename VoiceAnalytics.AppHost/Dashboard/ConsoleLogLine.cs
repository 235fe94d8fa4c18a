namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>One captured stdout/stderr line of a resource; <see cref="Sequence"/> grows per resource.</summary>
public sealed record ConsoleLogLine(long Sequence, DateTimeOffset Time, bool IsError, string Text);
