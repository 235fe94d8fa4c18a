namespace VoiceAnalytics.AppHost.Model;

/// <summary>A .NET service of this repository, run as <c>dotnet &lt;built dll&gt;</c> from its project folder.</summary>
public sealed class ProjectResource(string name, string projectPath) : Resource(name)
{
    public override string Type => "Project";

    /// <summary>Absolute path of the .csproj.</summary>
    public string ProjectPath { get; } = projectPath;

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;
}
