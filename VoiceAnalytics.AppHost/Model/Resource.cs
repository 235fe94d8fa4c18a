using System.Text.RegularExpressions;

namespace VoiceAnalytics.AppHost.Model;

/// <summary>
/// A named part of the system. The name doubles as its service-discovery name
/// (<c>services__&lt;name&gt;__&lt;endpoint&gt;__0</c>) and connection-string key, so it is kebab-case.
/// </summary>
public abstract partial class Resource
{
    protected Resource(string name)
    {
        if (!KebabCase().IsMatch(name))
        {
            throw new ArgumentException($"Resource name '{name}' must be kebab-case (a-z, 0-9, '-').", nameof(name));
        }
        Name = name;
    }

    public string Name { get; }

    /// <summary>What the dashboard shows as the resource's type.</summary>
    public abstract string Type { get; }

    public List<ResourceEndpoint> Endpoints { get; } = [];

    /// <summary>Resources that must be healthy before this one starts (<c>WaitFor</c>).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Environment contributions, evaluated at every (re)start once ports and secrets are known.</summary>
    public List<Action<EnvironmentContext>> EnvironmentCallbacks { get; } = [];

    /// <summary>Everything the orchestrator waits for before starting this resource.</summary>
    public virtual IEnumerable<Resource> StartDependencies => WaitsFor;

    public ResourceEndpoint GetEndpoint(string name) =>
        Endpoints.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"Resource '{Name}' has no endpoint '{name}'.", nameof(name));

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex KebabCase();
}
