namespace VoiceAnalytics.AppHost.Testing;

/// <summary>
/// Overrides for a test run of the app model. Defaults already make a run private: a fresh data folder in the
/// temp directory (deleted on dispose), free ports for the dashboard and the gateway, no console echo.
/// </summary>
public sealed class DistributedApplicationTestingOptions
{
    /// <summary>Configuration that wins over everything else (e.g. <c>ConnectionStrings:voicedb</c>, <c>WEBHOOK_SECRET</c>).</summary>
    public Dictionary<string, string?> Configuration { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal Dictionary<string, Dictionary<string, string?>> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The run's data folder; by default a new temp folder, deleted when the application is disposed.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Sets an environment variable of one resource (fake OpenAI or CRM base URL, a spool path...).</summary>
    public DistributedApplicationTestingOptions WithEnvironment(string resource, string name, string? value)
    {
        if (!Environment.TryGetValue(resource, out var variables))
        {
            Environment[resource] = variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        }
        variables[name] = value;
        return this;
    }
}
