using System.Reflection;

namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>Paths recorded at build time (see the .csproj): where the AppHost project and each service's dll are.</summary>
internal static class AppHostPaths
{
    private static readonly AssemblyMetadataAttribute[] Metadata =
        [.. typeof(AppHostPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()];

    /// <summary>The AppHost project folder; project paths in the wiring diagram are relative to it, as in Aspire.</summary>
    public static string ProjectDirectory { get; } =
        Metadata.FirstOrDefault(m => m.Key == "AppHostProjectDirectory")?.Value ?? AppContext.BaseDirectory;

    /// <summary>The built dll of a referenced project, or null when the AppHost does not reference it.</summary>
    public static string? TargetPathOf(string projectPath)
    {
        var key = "ProjectTargetPath:" + Path.GetFullPath(projectPath);
        return Metadata.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.Ordinal))?.Value;
    }
}
