using VoiceAnalytics.AppHost.Otlp.Proto.Collector.Logs.V1;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>Maps an OTLP logs export onto stored log records (the store numbers them).</summary>
public sealed class OtlpLogMapper(OtlpValues values)
{
    public List<StoredLog> Map(ExportLogsServiceRequest request)
    {
        var logs = new List<StoredLog>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var service = OtlpValues.ServiceName(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var category = scopeLogs.Scope?.Name ?? "";
                foreach (var record in scopeLogs.LogRecords)
                {
                    var attributes = values.Attributes(record.Attributes);
                    var severity = (int)record.SeverityNumber;
                    logs.Add(new StoredLog(
                        0,
                        OtlpValues.Time(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
                        service,
                        LogLevels.FromSeverity(severity),
                        severity,
                        values.Truncate(OtlpValues.Text(record.Body)),
                        category,
                        attributes,
                        OtlpValues.HexId(record.TraceId),
                        OtlpValues.HexId(record.SpanId),
                        OtlpValues.Find(attributes, OtlpValues.ConversationIdKey)));
                }
            }
        }
        return logs;
    }
}
