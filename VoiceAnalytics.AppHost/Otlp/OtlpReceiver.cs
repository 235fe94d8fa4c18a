using Google.Protobuf;
using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Logs.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Metrics.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Trace.V1;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>
/// The OTLP/HTTP receiver: decodes an export request, stores what it carries and answers with the
/// Export*ServiceResponse message (partial success when some items were unusable), as the OTLP spec asks.
/// </summary>
public sealed class OtlpReceiver(
    TelemetryStore store, OtlpSpanMapper spans, OtlpLogMapper logs, OtlpMetricMapper metrics, ILogger<OtlpReceiver> logger)
{
    public Task<IResult> ReceiveTracesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync("traces", request, ExportTraceServiceRequest.Parser, export =>
        {
            var (mapped, rejected) = spans.Map(export);
            store.AddSpans(mapped);
            return new ExportTraceServiceResponse
            {
                PartialSuccess = rejected == 0 ? null
                    : new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = "spans without a valid trace or span id" },
            };
        }, cancellationToken);

    public Task<IResult> ReceiveLogsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync("logs", request, ExportLogsServiceRequest.Parser, export =>
        {
            store.AddLogs(logs.Map(export));
            return new ExportLogsServiceResponse();
        }, cancellationToken);

    public Task<IResult> ReceiveMetricsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReceiveAsync("metrics", request, ExportMetricsServiceRequest.Parser, export =>
        {
            store.AddMetricPoints(metrics.Map(export));
            return new ExportMetricsServiceResponse();
        }, cancellationToken);

    private async Task<IResult> ReceiveAsync<TRequest>(string signal, HttpRequest request, MessageParser<TRequest> parser,
        Func<TRequest, IMessage> handle, CancellationToken cancellationToken) where TRequest : IMessage<TRequest>
    {
        try
        {
            var body = await OtlpBody.ReadAsync(request, store.Limits.MaxRequestBytes, cancellationToken);
            var response = handle(parser.ParseFrom(body));
            return Results.Bytes(response.ToByteArray(), OtlpBody.ProtobufContentType);
        }
        catch (OtlpRequestException ex)
        {
            return Refuse(signal, ex.StatusCode, ex.Message);
        }
        catch (InvalidProtocolBufferException)
        {
            return Refuse(signal, StatusCodes.Status400BadRequest, "The body is not a valid OTLP protobuf message.");
        }
    }

    private IResult Refuse(string signal, int statusCode, string reason)
    {
        OtlpReceiverLog.ExportRefused(logger, signal, statusCode, reason);
        return Results.Text(reason, "text/plain", statusCode: statusCode);
    }
}
