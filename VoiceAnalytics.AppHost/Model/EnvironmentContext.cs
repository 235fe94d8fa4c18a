namespace VoiceAnalytics.AppHost.Model;

/// <summary>The environment being built for one start of a resource.</summary>
public sealed class EnvironmentContext(Resource resource)
{
    public Resource Resource { get; } = resource;

    /// <summary>Variables to set; a null value removes a variable the AppHost would otherwise pass down.</summary>
    public Dictionary<string, string?> Variables { get; } = new(StringComparer.Ordinal);
}
