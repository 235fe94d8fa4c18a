namespace VoiceAnalytics.AppHost.Telemetry;

/// <summary>Maps OTLP severity numbers onto the .NET level names people filter by.</summary>
public static class LogLevels
{
    public static readonly string[] Names = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    /// <summary>OTLP severities come in groups of four (TRACE..TRACE4 = 1..4, DEBUG = 5..8, ...).</summary>
    public static string FromSeverity(int severityNumber) =>
        severityNumber <= 0 ? "Information" : Names[Math.Min((severityNumber - 1) / 4, Names.Length - 1)];

    /// <summary>The rank of a level name (0 = Trace), or -1 for a name that is not a level.</summary>
    public static int Rank(string? level) =>
        level is null ? -1 : Array.FindIndex(Names, n => n.Equals(level, StringComparison.OrdinalIgnoreCase));
}
