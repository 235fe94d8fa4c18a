using VoiceAnalytics.AppHost.State;

namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>A batch of console lines and the sequence to ask after next time (live tail by polling).</summary>
public sealed record ConsoleLogPage(string Resource, IReadOnlyList<LogLine> Lines, long Next);
