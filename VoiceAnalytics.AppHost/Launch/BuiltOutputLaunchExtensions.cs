using System.Reflection;

namespace VoiceAnalytics.AppHost.Launch;

public static class BuiltOutputLaunchExtensions
{
    /// <summary>The prefix of the assembly metadata keys the AppHost's build writes (VoiceAnalytics.AppHost.csproj).</summary>
    public const string MetadataPrefix = "serviceentrypoint:";

    /// <summary>
    /// Starts the project as <c>dotnet &lt;its built dll&gt;</c> instead of Aspire's <c>dotnet run --project … --no-build</c>:
    /// the same program, environment and working directory, without the <c>dotnet run</c> launcher, which evaluates
    /// the project with MSBuild on every start (2–3 CPU-seconds per service, three services at once on start-up).
    /// The AppHost's build builds the project and records where its dll is; when the record or the dll is missing,
    /// or an IDE launches the projects itself (a debug session), or `dotnet watch` runs them (DOTNET_WATCH=true), or
    /// the model is being published, Aspire's own launch stays.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBuiltOutputLaunch(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        // An IDE's debug session launches the projects itself; under DOTNET_WATCH Aspire runs them with `dotnet watch`.
        if (!builder.ExecutionContext.IsRunMode || !string.IsNullOrEmpty(builder.Configuration["DEBUG_SESSION_PORT"])
            || string.Equals(builder.Configuration["DOTNET_WATCH"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return project;
        }
        var entryPoint = EntryPointOf(project.Resource.GetProjectMetadata().ProjectPath);
        if (entryPoint is null)
        {
            return project;
        }
#pragma warning disable ASPIREEXTENSION001 // Launch tool arguments replace `run --project …` for a project resource.
        // Checked at every start (the dashboard's Start too): no dll, no tool arguments, and Aspire runs `dotnet run`.
        return project.WithLaunchToolArgs(context =>
        {
            if (File.Exists(entryPoint))
            {
                context.Args.Add(entryPoint);
            }
        });
#pragma warning restore ASPIREEXTENSION001
    }

    /// <summary>The built dll of the project at <paramref name="projectPath"/>, as the AppHost's build recorded it.</summary>
    public static string? EntryPointOf(string projectPath)
    {
        var key = MetadataPrefix + Path.GetFullPath(projectPath);
        return typeof(BuiltOutputLaunchExtensions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.Ordinal))?.Value;
    }
}
