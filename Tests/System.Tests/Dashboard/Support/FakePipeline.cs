using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>
/// Three fake services (gateway, analysis, crm), each with its own OpenTelemetry providers and the real OTLP
/// exporter, emitting what one conversation produces: one trace continued across the three (the analysis and
/// CRM jobs parent on the stored context), conversation-scoped logs, and the pipeline's metrics.
/// Source and meter names are unique per instance so parallel tests do not see each other's telemetry.
/// </summary>
public sealed class FakePipeline : IDisposable
{
    public static readonly string[] ServiceNames = ["gateway", "analysis", "crm"];

    private readonly Dictionary<string, FakeService> _services = [];
    private readonly DateTimeOffset _epoch = DateTimeOffset.UtcNow.AddSeconds(-10);
    private int _queueDepth;

    public FakePipeline(Uri dashboard)
    {
        var prefix = "FakePipeline." + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in ServiceNames)
        {
            _services[name] = new FakeService(dashboard, name, $"{prefix}.{name}");
        }
        _services["analysis"].Meter.CreateObservableGauge("jobs.queue.depth", () => _queueDepth, "{job}", "Queued jobs");
        _services["crm"].Meter.CreateObservableGauge("crm.circuit.state", () => 0, "{state}", "0 closed, 1 half-open, 2 open");
    }

    /// <summary>Emits one conversation's telemetry and returns its trace id.</summary>
    public string EmitConversation(string conversationId, int index = 0, bool crmFails = false)
    {
        var (gateway, analysis, crm) = (_services["gateway"], _services["analysis"], _services["crm"]);
        var t0 = _epoch.AddMilliseconds(index * 2);
        string traceId;
        ActivityContext webhookContext;
        using (var root = gateway.Span("POST /webhooks/elevenlabs", ActivityKind.Server, default, t0, 42, conversationId,
            ("http.request.method", "POST"), ("url.path", "/webhooks/elevenlabs"), ("http.response.status_code", 202)))
        {
            traceId = root!.TraceId.ToHexString();
            webhookContext = root.Context;
            using (gateway.Span("INSERT ingest.webhook_events", ActivityKind.Client, root.Context, t0.AddMilliseconds(6), 9, null,
                ("db.system", "postgresql"), ("db.operation", "INSERT")))
            {
            }
            using (gateway.Span("analysis.v1.Analysis/Submit", ActivityKind.Client, root.Context, t0.AddMilliseconds(20), 12, null,
                ("rpc.system", "grpc"), ("rpc.grpc.status_code", 0)))
            {
            }
            using (gateway.Logger.BeginScope(new Dictionary<string, object?> { ["conversation.id"] = conversationId }))
            {
                gateway.Logger.LogInformation("Webhook {EventType} accepted as event {EventId}", "post_call_transcription", index + 1);
            }
            gateway.Counter.Add(1, new KeyValuePair<string, object?>("event_type", "post_call_transcription"));
        }
        _queueDepth = index % 7;

        ActivityContext jobContext;
        using (var job = analysis.Span("analysis.job analyze", ActivityKind.Consumer, webhookContext, t0.AddMilliseconds(60), 1_340, conversationId,
            ("messaging.operation", "process"), ("job.attempt", 1)))
        {
            jobContext = job!.Context;
            using (analysis.Span("POST /v1/chat/completions", ActivityKind.Client, job.Context, t0.AddMilliseconds(80), 1_220, null,
                ("server.address", "fake-openai"), ("http.response.status_code", 200), ("gen_ai.usage.input_tokens", 812)))
            {
            }
            using (analysis.Logger.BeginScope(new Dictionary<string, object?> { ["conversation.id"] = conversationId }))
            {
                analysis.Logger.LogInformation("Analysis of {ConversationId} stored with score {Score}", conversationId, 7);
            }
            analysis.Histogram.Record(1_340 - index % 100);
        }

        using (var export = crm.Span("crm.job export", ActivityKind.Consumer, jobContext, t0.AddMilliseconds(1_500), 400, conversationId,
            ("messaging.operation", "process")))
        {
            using (var call = crm.Span("POST /0/rest/LeadService/Create", ActivityKind.Client, export!.Context, t0.AddMilliseconds(1_520), 360, null,
                ("server.address", "fake-crm"), ("http.response.status_code", crmFails ? 503 : 201)))
            {
                call!.AddEvent(new ActivityEvent("retry", t0.AddMilliseconds(1_700), new ActivityTagsCollection { ["attempt"] = 2 }));
                if (crmFails)
                {
                    call.SetStatus(ActivityStatusCode.Error, "CRM answered 503");
                }
            }
            using (crm.Logger.BeginScope(new Dictionary<string, object?> { ["conversation.id"] = conversationId }))
            {
                if (crmFails)
                {
                    crm.Logger.LogWarning("CRM export failed with {StatusCode}; will retry", 503);
                }
                else
                {
                    crm.Logger.LogInformation("Lead created for conversation");
                }
            }
            crm.Counter.Add(1, new KeyValuePair<string, object?>("result", crmFails ? "failed" : "exported"));
        }
        return traceId;
    }

    /// <summary>Counts a rejected webhook (bad signature): a gateway span and a warning, no downstream work.</summary>
    public void EmitRejectedWebhook()
    {
        var gateway = _services["gateway"];
        using (gateway.Span("POST /webhooks/elevenlabs", ActivityKind.Server, default, DateTimeOffset.UtcNow, 3, null,
            ("http.response.status_code", 401)))
        {
            gateway.Logger.LogWarning("Webhook rejected: {Reason}", "stale signature");
        }
        gateway.Rejected.Add(1, new KeyValuePair<string, object?>("reason", "stale_signature"));
    }

    /// <summary>Exports everything buffered (metrics and spans; logs are flushed by <see cref="Dispose"/>).</summary>
    public void Flush()
    {
        foreach (var service in _services.Values)
        {
            service.Tracing.ForceFlush();
            service.Metrics.ForceFlush();
        }
    }

    /// <summary>Flushes and shuts the exporters down.</summary>
    public void Dispose()
    {
        foreach (var service in _services.Values)
        {
            service.Dispose();
        }
    }

    private sealed class FakeService : IDisposable
    {
        private readonly ActivitySource _source;
        private readonly ILoggerFactory _logging;

        public FakeService(Uri dashboard, string serviceName, string instrumentationName)
        {
            _source = new ActivitySource(instrumentationName);
            Meter = new Meter(instrumentationName);
            Tracing = OtlpExporters.Tracing(dashboard, serviceName, instrumentationName);
            Metrics = OtlpExporters.Metrics(dashboard, serviceName, instrumentationName);
            _logging = OtlpExporters.Logging(dashboard, serviceName);
            Logger = _logging.CreateLogger($"VoiceAnalytics.{serviceName}.Worker");
            Counter = Meter.CreateCounter<long>(serviceName switch
            {
                "gateway" => "gateway.webhooks.accepted",
                "crm" => "crm.export.outcomes",
                _ => "analysis.attempts",
            });
            Rejected = Meter.CreateCounter<long>("gateway.webhooks.rejected");
            Histogram = Meter.CreateHistogram<double>("analysis.duration", "ms", "Time to analyse one conversation");
        }

        public TracerProvider Tracing { get; }

        public MeterProvider Metrics { get; }

        public Meter Meter { get; }

        public ILogger Logger { get; }

        public Counter<long> Counter { get; }

        public Counter<long> Rejected { get; }

        public Histogram<double> Histogram { get; }

        /// <summary>A span with explicit start and duration, so the waterfall has a realistic shape.</summary>
        public Activity? Span(string name, ActivityKind kind, ActivityContext parent, DateTimeOffset start, int durationMs,
            string? conversationId, params (string Key, object Value)[] tags)
        {
            var activity = _source.StartActivity(name, kind, parent, startTime: start);
            if (activity is null)
            {
                return null;
            }
            foreach (var (key, value) in tags)
            {
                activity.SetTag(key, value);
            }
            if (conversationId is not null)
            {
                activity.SetTag("conversation.id", conversationId);
            }
            activity.SetEndTime(start.AddMilliseconds(durationMs).UtcDateTime);
            return activity;
        }

        public void Dispose()
        {
            Tracing.Dispose();
            Metrics.Dispose();
            _logging.Dispose();
            Meter.Dispose();
            _source.Dispose();
        }
    }
}
