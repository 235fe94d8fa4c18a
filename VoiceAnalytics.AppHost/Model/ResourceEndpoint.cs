namespace VoiceAnalytics.AppHost.Model;

/// <summary>
/// A port a resource listens on. <see cref="Port"/> is what the wiring asked for (null or 0: any free port);
/// <see cref="AllocatedPort"/> is what the orchestrator picked for this run.
/// </summary>
public sealed class ResourceEndpoint(string name, EndpointProtocol protocol, int? port, bool isExternal)
{
    /// <summary>Services are reached on loopback: no DNS, no IPv6 fallback delay.</summary>
    public const string Host = "127.0.0.1";

    public string Name { get; } = name;

    public EndpointProtocol Protocol { get; } = protocol;

    public int? Port { get; } = port;

    /// <summary>External endpoints accept connections from outside the machine (the gateway's webhooks).</summary>
    public bool IsExternal { get; } = isExternal;

    public int? AllocatedPort { get; set; }

    public string Scheme => Protocol == EndpointProtocol.Tcp ? "tcp" : "http";

    public Uri Url => new($"{Scheme}://{Host}:{AllocatedPort ?? throw new InvalidOperationException($"Endpoint '{Name}' has no port yet: start the application first.")}");
}
