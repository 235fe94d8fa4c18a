using System.IO.Compression;
using System.Net.Http.Headers;
using Google.Protobuf;
using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Trace.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Common.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Resource.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Trace.V1;

namespace VoiceAnalytics.System.Tests.Dashboard.Support;

/// <summary>Hand-built OTLP requests, for what the SDK exporter never sends (gzip, broken bodies, huge values).</summary>
public static class OtlpRequests
{
    public static ExportTraceServiceRequest Spans(string service, int count, string? traceIdHex = null, string attributeValue = "v")
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "hand-built" } };
        var traceId = ByteString.CopyFrom(Convert.FromHexString(traceIdHex ?? Guid.NewGuid().ToString("N")));
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        for (var i = 0; i < count; i++)
        {
            var span = new Span
            {
                TraceId = traceId,
                SpanId = ByteString.CopyFrom(BitConverter.GetBytes((long)i + 1)),
                Name = $"span {i}",
                Kind = Span.Types.SpanKind.Internal,
                StartTimeUnixNano = start + (ulong)i * 1_000_000,
                EndTimeUnixNano = start + (ulong)i * 1_000_000 + 500_000,
            };
            span.Attributes.Add(new KeyValue { Key = "value", Value = new AnyValue { StringValue = attributeValue } });
            scope.Spans.Add(span);
        }
        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = service } });
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(new ResourceSpans { Resource = resource, ScopeSpans = { scope } });
        return request;
    }

    public static ByteArrayContent Protobuf(byte[] body, bool gzip = false)
    {
        if (gzip)
        {
            using var compressed = new MemoryStream();
            using (var zip = new GZipStream(compressed, CompressionLevel.Fastest))
            {
                zip.Write(body);
            }
            body = compressed.ToArray();
        }
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }
        return content;
    }
}
