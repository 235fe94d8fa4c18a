using Microsoft.Extensions.Configuration;

namespace VoiceAnalytics.ServiceDefaults.Discovery;

/// <summary>
/// Service discovery from configuration, with the keys Aspire writes (Microsoft.Extensions.ServiceDiscovery is
/// not served here): <c>services__analysis__http__0=http://127.0.0.1:5101</c>.
/// </summary>
public static class ServiceAddresses
{
    /// <summary>
    /// The first address of <paramref name="service"/>'s <paramref name="endpoint"/> ("http", "https", "grpc"),
    /// or null when none is configured.
    /// </summary>
    public static Uri? Resolve(IConfiguration configuration, string service, string endpoint = "http")
    {
        var value = configuration[$"services:{service}:{endpoint}:0"];
        if (string.IsNullOrWhiteSpace(value) && endpoint == "http")
        {
            value = configuration[$"services:{service}:https:0"];
        }
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>Like <see cref="Resolve"/>, but a missing address is a configuration error that says which key to set.</summary>
    public static Uri Require(IConfiguration configuration, string service, string endpoint = "http") =>
        Resolve(configuration, service, endpoint)
        ?? throw new InvalidOperationException(
            $"No address for service '{service}': set services__{service}__{endpoint}__0 (e.g. http://127.0.0.1:5101).");
}
