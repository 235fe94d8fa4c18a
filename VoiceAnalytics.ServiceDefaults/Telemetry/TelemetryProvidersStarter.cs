using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace VoiceAnalytics.ServiceDefaults.Telemetry;

/// <summary>
/// Takes the tracer and meter providers as dependencies so they are created (and start listening) when the
/// host starts; the container disposes them, which flushes what is still buffered.
/// </summary>
internal sealed class TelemetryProvidersStarter(TracerProvider tracing, MeterProvider metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(tracing);
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracing.ForceFlush(2000);
        metrics.ForceFlush(2000);
        return Task.CompletedTask;
    }
}
