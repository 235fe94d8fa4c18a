namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Passwords and the cluster folder are readable by their owner only.</summary>
internal static class OwnerOnly
{
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(path, Directory.Exists(path) ? mode | UnixFileMode.UserExecute : mode);
    }
}
