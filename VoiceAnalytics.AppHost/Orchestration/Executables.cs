namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Finds programs on PATH.</summary>
internal static class Executables
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>util-linux <c>setpriv</c>: sets a parent-death signal (and the user) and then execs, keeping the pid.</summary>
    public static string? SetPriv { get; } = Find("setpriv");

    /// <summary>util-linux <c>setsid</c>: a new session (and process group) without forking, keeping the pid.</summary>
    public static string? SetSid { get; } = Find("setsid");

    public static string? RunUser { get; } = Find("runuser");

    public static bool RunsAsRoot => Environment.IsPrivilegedProcess;
}
