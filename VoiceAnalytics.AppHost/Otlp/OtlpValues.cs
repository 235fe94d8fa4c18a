using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using VoiceAnalytics.AppHost.Otlp.Proto.Common.V1;
using VoiceAnalytics.AppHost.Otlp.Proto.Resource.V1;
using VoiceAnalytics.AppHost.Telemetry;

namespace VoiceAnalytics.AppHost.Otlp;

/// <summary>
/// Turns OTLP's wire values into what the store keeps: text attributes (capped in number and length, so a
/// single oversized item cannot break the store's memory bound), hex ids and times.
/// </summary>
public sealed class OtlpValues(TelemetryLimits limits)
{
    public const string ServiceNameKey = "service.name";
    public const string ConversationIdKey = "conversation.id";
    public const string UnknownService = "unknown_service";

    public IReadOnlyList<TelemetryAttribute> Attributes(RepeatedField<KeyValue> attributes)
    {
        if (attributes.Count == 0)
        {
            return [];
        }
        var count = Math.Min(attributes.Count, limits.MaxAttributesPerItem);
        var result = new TelemetryAttribute[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = new TelemetryAttribute(Truncate(attributes[i].Key), Truncate(Text(attributes[i].Value)));
        }
        return result;
    }

    public string Truncate(string value) =>
        value.Length <= limits.MaxAttributeLength ? value : string.Concat(value.AsSpan(0, limits.MaxAttributeLength), "…");

    public static string ServiceName(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == ServiceNameKey)?.Value?.StringValue is { Length: > 0 } name
            ? name
            : UnknownService;

    public static string? Find(IReadOnlyList<TelemetryAttribute> attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key)
            {
                return attribute.Value;
            }
        }
        return null;
    }

    /// <summary>Lower-case hex, as W3C traceparent writes ids; null for an absent or all-zero id.</summary>
    public static string? HexId(ByteString id) =>
        id.IsEmpty || id.Span.IndexOfAnyExcept((byte)0) < 0 ? null : Convert.ToHexStringLower(id.Span);

    public static DateTimeOffset Time(ulong unixNano) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Min(unixNano / 100, (ulong)(DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks));

    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue => "[" + string.Join(", ", value.ArrayValue.Values.Select(Text)) + "]",
        AnyValue.ValueOneofCase.KvlistValue =>
            "{" + string.Join(", ", value.KvlistValue.Values.Select(kv => kv.Key + ": " + Text(kv.Value))) + "}",
        _ => "",
    };
}
