using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using VoiceAnalytics.Infrastructure.Tests.Echo;
using VoiceAnalytics.TestSupport;
using EchoGrpc = VoiceAnalytics.Infrastructure.Tests.Echo.Echo;

namespace VoiceAnalytics.Infrastructure.Tests.Integration.Grpc;

/// <summary>One conversation is one trace: the callee's parent span is one the caller's telemetry records.</summary>
public sealed class GrpcTraceContextTests
{
    private static readonly ActivitySource Source = new("VoiceAnalytics.Tests.Trace");

    [Fact]
    public async Task TheCalleeContinuesTheCallersTraceFromARecordedSpan()
    {
        using var node = await GrpcJs.StartServerAsync();
        var recorded = new ConcurrentBag<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["services:echo:grpc:0"] = node.Address.ToString();
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new RecordingProcessor(recorded)));
        builder.Services.AddGrpcServiceClient<EchoGrpc.EchoClient>("echo", EchoGrpc.Descriptor);
        using var host = builder.Build();
        await host.StartAsync();

        SayReply reply;
        ActivityTraceId traceId;
        using (var conversation = Source.StartActivity("conversation"))
        {
            Assert.NotNull(conversation);
            traceId = conversation.TraceId;
            reply = await host.Services.GetRequiredService<EchoGrpc.EchoClient>()
                .SayAsync(new SayRequest { Text = "traced", EchoMetadata = { "traceparent" } });
        }
        await host.StopAsync();

        // traceparent = 00-<trace id>-<parent span id>-<flags>, as grpc-js received it.
        var parts = reply.Metadata["traceparent"].Split('-');
        Assert.Equal(traceId.ToHexString(), parts[1]);
        var parent = Assert.Single(recorded, a => a.SpanId.ToHexString() == parts[2]);
        // The span the callee hangs off is itself exported and leads up to the conversation: no gap.
        var names = new List<string>();
        for (var span = parent; span is not null; span = recorded.FirstOrDefault(a => a.SpanId == span.ParentSpanId))
        {
            names.Add(span.Source.Name);
        }
        Assert.Equal("VoiceAnalytics.Tests.Trace", names[^1]);
        Assert.Contains("Grpc.Net.Client", names);
    }

    private sealed class RecordingProcessor(ConcurrentBag<Activity> recorded) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => recorded.Add(data);
    }
}
