using System.Globalization;
using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// The environment a project starts with, in Aspire's vocabulary: Kestrel endpoints, OTLP towards the dashboard,
/// then everything the wiring added (references, parameters, test overrides), which wins.
/// </summary>
public static class ProjectEnvironment
{
    public static Dictionary<string, string?> Build(ProjectResource project, Uri? otlpEndpoint, string externalBindAddress)
    {
        var context = new EnvironmentContext(project);
        var env = context.Variables;
        env["ASPNETCORE_ENVIRONMENT"] = "Development";
        env["DOTNET_ENVIRONMENT"] = "Development";
        // Kestrel endpoints from configuration override the service's appsettings; ASPNETCORE_URLS would only
        // add a warning ("Overriding address(es)"), so an inherited value is removed rather than passed on.
        env["ASPNETCORE_URLS"] = null;
        foreach (var endpoint in project.Endpoints)
        {
            var host = endpoint.IsExternal ? externalBindAddress : ResourceEndpoint.Host;
            var port = endpoint.AllocatedPort ?? throw new InvalidOperationException($"{project.Name}/{endpoint.Name} has no port yet.");
            env[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}");
            env[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = endpoint.Protocol == EndpointProtocol.Http2 ? "Http2" : "Http1";
        }
        env["OTEL_SERVICE_NAME"] = project.Name;
        if (otlpEndpoint is not null)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint.ToString().TrimEnd('/');
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            // Short batch delays so the dashboard shows a request about a second after it happened.
            env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            env["OTEL_METRIC_EXPORT_INTERVAL"] = "5000";
        }
        // One line per log entry reads better in the prefixed console and the dashboard's console view
        // (the formatter must be named, or the console logger ignores its options).
        env["Logging__Console__FormatterName"] = "simple";
        env["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var callback in project.EnvironmentCallbacks)
        {
            callback(context);
        }
        return env;
    }
}
