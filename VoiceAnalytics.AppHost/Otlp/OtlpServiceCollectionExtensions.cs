using Microsoft.Extensions.Options;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>Registers the telemetry store (bounded by <see cref="TelemetryLimits"/>) and the OTLP receiver.</summary>
public static class OtlpServiceCollectionExtensions
{
    public static IServiceCollection AddOtlpReceiver(this IServiceCollection services)
    {
        services.AddOptions<TelemetryLimits>().BindConfiguration(TelemetryLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TelemetryStore>();
        services.AddSingleton(sp => new OtlpValues(sp.GetRequiredService<IOptions<TelemetryLimits>>().Value));
        services.AddSingleton(sp => new OtlpSpanMapper(sp.GetRequiredService<OtlpValues>(), sp.GetRequiredService<IOptions<TelemetryLimits>>().Value));
        services.AddSingleton<OtlpLogMapper>();
        services.AddSingleton<OtlpMetricMapper>();
        services.AddSingleton<OtlpReceiver>();
        return services;
    }
}
