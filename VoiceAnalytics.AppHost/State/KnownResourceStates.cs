namespace VoiceAnalytics.AppHost.State;

/// <summary>The states a resource goes through, named as Aspire's dashboard names them.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Stopping = "Stopping";

    /// <summary>Stopped on request (API or shutdown).</summary>
    public const string Stopped = "Stopped";

    /// <summary>The process ended on its own (crash, kill); <c>exitCode</c> says how.</summary>
    public const string Exited = "Exited";

    public const string FailedToStart = "FailedToStart";
}
