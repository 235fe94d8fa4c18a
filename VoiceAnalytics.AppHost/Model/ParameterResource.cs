namespace VoiceAnalytics.AppHost.Model;

/// <summary>
/// A value from configuration (appsettings, user secrets, environment), typically a secret. It is resolved
/// when the model is built and never appears in logs or in the resources API.
/// </summary>
public sealed class ParameterResource(string name, string configurationKey, bool secret) : Resource(name)
{
    public override string Type => "Parameter";

    /// <summary>The flat key also read, e.g. <c>WEBHOOK_SECRET</c>, after Aspire's <c>Parameters:&lt;name&gt;</c>.</summary>
    public string ConfigurationKey { get; } = configurationKey;

    public bool Secret { get; } = secret;

    /// <summary>When set and nothing is configured, a random value is generated for the run.</summary>
    public bool GenerateWhenMissing { get; set; }

    public string? Value { get; set; }

    /// <summary>True when <see cref="Value"/> was generated for this run rather than configured.</summary>
    public bool IsGenerated { get; set; }
}
