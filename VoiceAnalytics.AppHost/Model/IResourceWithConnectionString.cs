namespace VoiceAnalytics.AppHost.Model;

/// <summary>A resource others reference through <c>ConnectionStrings__&lt;name&gt;</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The connection string for this run (null until the orchestrator has allocated ports).</summary>
    string? GetConnectionString();
}
