using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Defaults;

/// <summary>
/// What <c>AddServiceDefaults</c> and <c>MapDefaultEndpoints</c> give every service besides OTLP: a Prometheus
/// scrape endpoint and configurable sampling. Run alone (<see cref="TelemetryCollection"/>).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class ServiceDefaultsTelemetryTests
{
    private static readonly ActivitySource Source = new("VoiceAnalytics.Tests.Defaults");

    [Fact]
    public async Task MetricsAreServedInPrometheusTextFormatAndScrapesAreKeptOutOfTraces()
    {
        var spans = new ConcurrentBag<Activity>();
        await using var app = await StartAsync(spans);
        using var meter = new Meter("VoiceAnalytics.Tests.Defaults");
        var calls = meter.CreateCounter<long>("voiceanalytics.tests.calls");
        calls.Add(3, new KeyValuePair<string, object?>("outcome", "ok"));
        using var http = new HttpClient { BaseAddress = Address(app) };
        using var health = await http.GetAsync("/health");

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE voiceanalytics_tests_calls_total counter", text, StringComparison.Ordinal);
        Assert.Contains("voiceanalytics_tests_calls_total{otel_scope_name=\"VoiceAnalytics.Tests.Defaults\",outcome=\"ok\"} 3", text, StringComparison.Ordinal);
        // The framework's own families are there too: request durations as histograms, for p50/p95/p99.
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.DoesNotContain(spans, span => span.DisplayName.Contains("/metrics", StringComparison.Ordinal) || span.DisplayName.Contains("/health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KestrelsMemoryPoolMeterIsNeverEnabledWhileKestrelsOwnMeterIs()
    {
        await using var app = await StartAsync([]);
        using var http = new HttpClient { BaseAddress = Address(app) };
        using var health = await http.GetAsync("/health");

        // Instruments of a meter no view drops are enabled when created; the memory pool's stay off, so Kestrel
        // records nothing on each block it rents and returns.
        using var memoryPool = new Meter("Microsoft.AspNetCore.MemoryPool");
        using var kestrel = new Meter("Microsoft.AspNetCore.Server.Kestrel");
        Assert.False(memoryPool.CreateCounter<long>("aspnetcore.memory_pool.rented").Enabled);
        Assert.True(kestrel.CreateCounter<long>("kestrel.tests.probe").Enabled);

        using var response = await http.GetAsync("/metrics");
        Assert.DoesNotContain("aspnetcore_memory_pool", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TraceSamplingFollowsTheStandardSamplerSettings()
    {
        var spans = new ConcurrentBag<Activity>();
        await using var app = await StartAsync(spans, new()
        {
            ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0",
        });

        // A trace that starts here is sampled at the configured ratio: none at 0.
        using (var root = Source.StartActivity("root"))
        {
            Assert.False(root?.Recorded ?? false);
        }
        // A trace that a sampled caller started stays sampled: one conversation is never cut in half.
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using (var child = Source.StartActivity("child", ActivityKind.Server, sampledParent))
        {
            Assert.True(child?.Recorded);
        }
        Assert.Equal(["child"], spans.Select(span => span.DisplayName));
    }

    private static async Task<WebApplication> StartAsync(ConcurrentBag<Activity> spans, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(Source.Name).AddProcessor(new RecordingProcessor(spans)));
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private sealed class RecordingProcessor(ConcurrentBag<Activity> recorded) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => recorded.Add(data);
    }
}
