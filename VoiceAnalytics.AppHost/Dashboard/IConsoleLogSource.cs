namespace VoiceAnalytics.AppHost.Dashboard;

/// <summary>The orchestrator's per-resource console buffers, read by the Console logs page.</summary>
public interface IConsoleLogSource
{
    /// <summary>Lines after <paramref name="afterSequence"/>, oldest first, at most <paramref name="max"/>; null for an unknown resource.</summary>
    IReadOnlyList<ConsoleLogLine>? Read(string resource, long afterSequence, int max);
}
