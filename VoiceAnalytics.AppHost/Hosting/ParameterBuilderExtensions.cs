using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Hosting;

public static class ParameterBuilderExtensions
{
    /// <summary>
    /// A parameter read from <c>Parameters:&lt;name&gt;</c> (Aspire's key) or else <paramref name="configurationKey"/>
    /// (the seed's flat variable name), from appsettings, user secrets, environment or command line.
    /// Unset parameters are not passed down, so a service falls back to its own default.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameterFromConfiguration(
        this DistributedApplicationBuilder builder, string name, string configurationKey, bool secret = false) =>
        builder.AddResource(new ParameterResource(name, configurationKey, secret));

    /// <summary>When nothing is configured, use a random value for this run (printed once at start).</summary>
    public static IResourceBuilder<ParameterResource> WithGeneratedDefault(this IResourceBuilder<ParameterResource> builder)
    {
        builder.Resource.GenerateWhenMissing = true;
        return builder;
    }
}
