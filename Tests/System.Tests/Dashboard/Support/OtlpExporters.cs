using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>
/// The standard .NET OpenTelemetry OTLP exporter, configured the way the AppHost configures the services:
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (base address; the exporter appends /v1/traces etc.) and
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>, handed in as configuration rather than process
/// environment so that parallel tests do not share it.
/// </summary>
public static class OtlpExporters
{
    public static IConfiguration Configuration(Uri dashboard) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        })
        .Build();

    public static TracerProvider Tracing(Uri dashboard, string serviceName, params string[] sources) =>
        Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(Configuration(dashboard)))
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(sources)
            .AddOtlpExporter()
            .Build();

    public static MeterProvider Metrics(Uri dashboard, string serviceName, params string[] meters) =>
        Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(Configuration(dashboard)))
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddMeter(meters)
            .AddOtlpExporter()
            .Build();

    /// <summary>A logger factory exporting like ServiceDefaults does: scopes and formatted messages included.</summary>
    public static ILoggerFactory Logging(Uri dashboard, string serviceName) =>
        LoggerFactory.Create(logging =>
        {
            logging.Services.AddSingleton(Configuration(dashboard));
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddOpenTelemetry(options =>
            {
                options.IncludeScopes = true;
                options.IncludeFormattedMessage = true;
                options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName));
                options.AddOtlpExporter();
            });
        });
}
