using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace VoiceAnalytics.AppHost;

/// <summary>
/// How the AppHost's configuration (command line, environment, user secrets) reaches the services: secrets as
/// parameters, plain settings forwarded by the flat names the services read (<c>WEBHOOK_*</c>, <c>Privacy__*</c>).
/// DCP starts the services with the AppHost's environment, but not with its command-line arguments, and tests
/// configure the AppHost through arguments only: everything is forwarded explicitly.
/// </summary>
public static class ConfigurationForwarding
{
    /// <summary>A secret parameter from the flat key when it is set; null when not, so the service keeps its default.</summary>
    public static IResourceBuilder<ParameterResource>? AddOptionalSecret(this IDistributedApplicationBuilder builder, string name, string key) =>
        string.IsNullOrEmpty(builder.Configuration[key]) ? null : builder.AddParameterFromConfiguration(name, key, secret: true);

    /// <summary>A secret parameter from the flat key, or generated once and kept in the data folder.</summary>
    public static IResourceBuilder<ParameterResource> AddKeptSecret(this IDistributedApplicationBuilder builder, string name, string key, DataFolder data) =>
        builder.AddOptionalSecret(name, key) ?? builder.AddParameter(name, data.Secret(name), secret: true);

    public static IResourceBuilder<T> WithOptionalEnvironment<T>(this IResourceBuilder<T> resource, string name, IResourceBuilder<ParameterResource>? parameter)
        where T : IResourceWithEnvironment =>
        parameter is null ? resource : resource.WithEnvironment(name, parameter);

    /// <summary>
    /// Passes every configuration value whose key starts with one of <paramref name="prefixes"/> (sections as
    /// <c>Privacy__Keys__0</c>), except the secrets that travel as parameters.
    /// </summary>
    public static IResourceBuilder<T> WithSettings<T>(this IResourceBuilder<T> resource, IConfiguration configuration, params string[] prefixes)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(context =>
        {
            foreach (var (key, value) in configuration.AsEnumerable())
            {
                if (value is not null && !SecretKeys.Contains(key)
                    && prefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value;
                }
            }
        });

    /// <summary>
    /// The dashboard's browser URL, read when the resource starts: the endpoint of Aspire's dashboard resource
    /// (added at start, with the port from <c>ASPNETCORE_URLS</c> or, under the testing builder, a random one).
    /// </summary>
    public static IResourceBuilder<T> WithDashboardUrl<T>(this IResourceBuilder<T> resource, string name)
        where T : IResourceWithEnvironment =>
        resource.WithEnvironment(context =>
        {
            var model = context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>();
            if (model.Resources.FirstOrDefault(r => r.Name == "aspire-dashboard") is IResourceWithEndpoints dashboard
                && dashboard.GetEndpoints().FirstOrDefault(e => e.IsAllocated && e.Scheme is "http" or "https") is { } endpoint)
            {
                context.EnvironmentVariables[name] = endpoint.Url;
            }
        });

    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "WEBHOOK_SECRET", "OPENAI_API_KEY", "ADMIN_BOOTSTRAP_KEY", "CRM_BASIC_AUTH_USER", "CRM_BASIC_AUTH_PASS",
    };
}

public static class StartupBanner
{
    /// <summary>Prints one line once every resource with a health check is healthy (bench/apphost-startup.sh waits for it).</summary>
    public static void PrintWhenAllHealthy(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((e, ct) =>
        {
            var names = e.Model.Resources.Where(r => r.Annotations.OfType<HealthCheckAnnotation>().Any()).Select(r => r.Name).ToList();
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            _ = Task.Run(async () =>
            {
                try
                {
                    foreach (var name in names)
                    {
                        await notifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, ct);
                    }
                    var uptime = DateTime.Now - Process.GetCurrentProcess().StartTime;
                    Console.WriteLine($"All {names.Count} resources healthy ({uptime.TotalSeconds:0.0} s after the AppHost started): {string.Join(", ", names)}");
                }
                catch (Exception ex) when (ex is OperationCanceledException or DistributedApplicationException)
                {
                    // Stopped first, or a resource failed: the dashboard and the console say which.
                }
            }, ct);
            return Task.CompletedTask;
        });
    }

    /// <summary>Prints a generated webhook secret once the app has started, so a user can sign a test webhook.</summary>
    public static void PrintWebhookSecretOnStart(this IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource> secret, bool generated)
    {
        if (!generated)
        {
            return;
        }
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>(async (_, ct) =>
            Console.WriteLine($"Webhook secret (generated, kept in the data folder; set WEBHOOK_SECRET to choose one): {await secret.Resource.GetValueAsync(ct)}"));
    }
}
