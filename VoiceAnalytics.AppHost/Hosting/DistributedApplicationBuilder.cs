using System.Security.Cryptography;
using VoiceAnalytics.AppHost.Model;
using VoiceAnalytics.AppHost.Testing;

namespace VoiceAnalytics.AppHost.Hosting;

/// <summary>Collects the resources of the wiring diagram; <see cref="Build"/> checks them and resolves parameters.</summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly TestingSession? _testing;

    internal DistributedApplicationBuilder(string[] args, TestingSession? testing)
    {
        _testing = testing;
        EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development";
        Configuration = new ConfigurationManager();
        Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{EnvironmentName}.json"), optional: true);
        if (EnvironmentName == "Development")
        {
            Configuration.AddUserSecrets(typeof(DistributedApplicationBuilder).Assembly, optional: true);
        }
        Configuration.AddEnvironmentVariables().AddCommandLine(args);
        testing?.ApplyConfiguration(Configuration);
    }

    public ConfigurationManager Configuration { get; }

    public string EnvironmentName { get; }

    /// <summary>The AppHost project folder; relative project paths start here.</summary>
    public string AppHostDirectory => AppHostPaths.ProjectDirectory;

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>
    /// A path inside the data folder that keeps state between runs (a test's own temp folder under the testing
    /// entry point), for files that several resources share.
    /// </summary>
    public string DataPath(params string[] parts) => Path.Combine(
        [DistributedApplication.ResolveDataDirectory(Configuration.GetSection(AppHostOptions.Section).Get<AppHostOptions>() ?? new AppHostOptions()), .. parts]);

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }
        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    public DistributedApplication Build()
    {
        var options = Configuration.GetSection(AppHostOptions.Section).Get<AppHostOptions>() ?? new AppHostOptions();
        _testing?.ApplyResourceOverrides(this);
        foreach (var parameter in _resources.OfType<ParameterResource>())
        {
            ResolveParameter(parameter);
        }
        _ = WaitGraph.StartOrder(_resources); // throws on a cycle
        var app = new DistributedApplication(_resources, options, _testing is not null);
        _testing?.Capture(app);
        return app;
    }

    private void ResolveParameter(ParameterResource parameter)
    {
        var configured = Configuration[$"Parameters:{parameter.Name}"] ?? Configuration[parameter.ConfigurationKey];
        if (!string.IsNullOrEmpty(configured))
        {
            parameter.Value = configured;
        }
        else if (parameter.GenerateWhenMissing)
        {
            parameter.Value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            parameter.IsGenerated = true;
        }
    }
}
