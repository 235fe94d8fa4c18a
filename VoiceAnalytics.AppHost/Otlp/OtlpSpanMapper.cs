using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Trace.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Trace.V1;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>Maps an OTLP trace export onto stored spans; spans without a valid trace or span id are rejected.</summary>
public sealed class OtlpSpanMapper(OtlpValues values, TelemetryLimits limits)
{
    public (List<StoredSpan> Spans, int Rejected) Map(ExportTraceServiceRequest request)
    {
        var spans = new List<StoredSpan>();
        var rejected = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = OtlpValues.ServiceName(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name ?? "";
                foreach (var span in scopeSpans.Spans)
                {
                    if (OtlpValues.HexId(span.TraceId) is not { } traceId || OtlpValues.HexId(span.SpanId) is not { } spanId)
                    {
                        rejected++;
                        continue;
                    }
                    spans.Add(MapSpan(span, traceId, spanId, service, scope));
                }
            }
        }
        return (spans, rejected);
    }

    private StoredSpan MapSpan(Span span, string traceId, string spanId, string service, string scope)
    {
        var attributes = values.Attributes(span.Attributes);
        return new StoredSpan(
            traceId,
            spanId,
            OtlpValues.HexId(span.ParentSpanId),
            values.Truncate(span.Name),
            KindName(span.Kind),
            service,
            scope,
            OtlpValues.Time(span.StartTimeUnixNano),
            OtlpValues.Time(Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano)),
            span.Status?.Code switch
            {
                Status.Types.StatusCode.Error => SpanStatus.Error,
                Status.Types.StatusCode.Ok => SpanStatus.Ok,
                _ => SpanStatus.Unset,
            },
            string.IsNullOrEmpty(span.Status?.Message) ? null : values.Truncate(span.Status.Message),
            attributes,
            [.. span.Events.Take(limits.MaxEventsPerSpan).Select(e =>
                new StoredSpanEvent(values.Truncate(e.Name), OtlpValues.Time(e.TimeUnixNano), values.Attributes(e.Attributes)))],
            OtlpValues.Find(attributes, OtlpValues.ConversationIdKey));
    }

    private static string KindName(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Server => "Server",
        Span.Types.SpanKind.Client => "Client",
        Span.Types.SpanKind.Producer => "Producer",
        Span.Types.SpanKind.Consumer => "Consumer",
        _ => "Internal",
    };
}
