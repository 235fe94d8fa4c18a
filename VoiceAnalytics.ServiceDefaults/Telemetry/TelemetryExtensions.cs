using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace VoiceAnalytics.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry for a service without OpenTelemetry.Extensions.Hosting (not served here): the providers are
/// built with the SDK directly, owned by the DI container and disposed (flushed) with the host.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Sources the providers listen to: the framework's own plus every <c>VoiceAnalytics.*</c> source.</summary>
    public static readonly string[] TraceSources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "VoiceAnalytics.*"];

    /// <summary>Meters the providers listen to.</summary>
    public static readonly string[] Meters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "VoiceAnalytics.*"];

    /// <summary>
    /// Adds tracing, metrics and logging. Export goes over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set; the exporter itself reads the standard <c>OTEL_*</c> variables (protocol, headers), and the resource
    /// reads <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c>.
    /// </summary>
    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

        // CreateDefault already applies OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME from the environment;
        // AddService covers the case where the name only comes from configuration.
        ResourceBuilder Resource() => ResourceBuilder.CreateDefault()
            .AddService(serviceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeScopes = true;
            logging.IncludeFormattedMessage = true;
            logging.SetResourceBuilder(Resource());
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(Resource())
                .AddSource(TraceSources)
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()));
            if (exportOtlp)
            {
                tracing.AddOtlpExporter();
            }
            return tracing.Build();
        });

        builder.Services.AddSingleton(_ =>
        {
            var metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(Resource())
                .AddMeter(Meters);
            if (exportOtlp)
            {
                metrics.AddOtlpExporter();
            }
            return metrics.Build();
        });

        // Resolving the providers at start is what subscribes them; the container disposes them at stop.
        builder.Services.AddHostedService<TelemetryProvidersStarter>();
        return builder;
    }
}
