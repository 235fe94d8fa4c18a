using System.Buffers;
using System.Text;
using System.Text.Json;
using VoiceAnalytics.Gateway.Api;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Ingest;

/// <summary>
/// One spooled event per line: its fields, the event JSON itself and the recording as base64. Events arrive here
/// sealed (<see cref="PayloadSealer"/>): the payload is one encrypted JSON string and the recording encrypted
/// bytes, so the file (and any <c>.rejected</c> file made of its lines) holds no transcript or phone number; the
/// caller's number travels only as its keyed hash. Lines written before encryption (a JSON object payload, no
/// <c>sealed</c> flag) are still read, and sealed when they are replayed.
/// </summary>
public static class SpoolCodec
{
    /// <summary>Appends <paramref name="e"/> as one line (with its newline) to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, WebhookEvent e)
    {
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("type", e.Type);
            writer.WriteString("conversation_id", e.ConversationId);
            writer.WriteString("agent_id", e.AgentId);
            if (e.EventTimestamp is { } timestamp)
            {
                writer.WriteNumber("event_timestamp", timestamp);
            }
            writer.WriteString("trace_parent", e.TraceParent);
            writer.WriteString("received_at", e.ReceivedAt);
            if (e.SpooledAt is { } spooledAt)
            {
                writer.WriteString("spooled_at", spooledAt);
            }
            writer.WriteString("source_address", e.SourceAddress);
            writer.WriteString("phone_hash", e.PhoneHash);
            writer.WriteBoolean("sealed", e.IsSealed);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(SingleLine(e.Payload), skipInputValidation: true);
            if (e.Audio is { } audio)
            {
                writer.WriteBase64String("audio", audio);
            }
            writer.WriteEndObject();
        }
        output.Write("\n"u8);
    }

    /// <summary>Reads a line written by <see cref="Write"/>; throws <see cref="JsonException"/> on a damaged line.</summary>
    public static WebhookEvent Read(ReadOnlySpan<byte> line)
    {
        // The payload sits one level below the line's root, and the edge accepts it up to the parser's depth: the default
        // reader limit (64) would make a deep but accepted event look like a torn line and set it aside.
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = WebhookParser.MaxDepth + 1 });
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var isSealed = root.TryGetProperty("sealed", out var sealedFlag) && sealedFlag.ValueKind == JsonValueKind.True;
        return new WebhookEvent(
            root.GetProperty("type").GetString()!,
            root.GetProperty("conversation_id").GetString()!,
            root.GetProperty("agent_id").GetString(),
            root.TryGetProperty("event_timestamp", out var timestamp) ? timestamp.GetInt64() : null,
            root.GetProperty("payload").GetRawText(),
            root.TryGetProperty("audio", out var audio) ? audio.GetBytesFromBase64() : null,
            root.GetProperty("trace_parent").GetString(),
            root.GetProperty("received_at").GetDateTimeOffset())
        {
            SpooledAt = root.TryGetProperty("spooled_at", out var spooledAt) ? spooledAt.GetDateTimeOffset() : null,
            SourceAddress = root.TryGetProperty("source_address", out var source) ? source.GetString() : null,
            PhoneHash = root.TryGetProperty("phone_hash", out var phoneHash) ? phoneHash.GetString() : null,
            IsSealed = isSealed,
            // A line written before encryption has its payload in clear and no hash yet: the number is read here,
            // so that sealing it at replay can hash it.
            CallerPhone = isSealed ? null : CallerNumber.Of(root.GetProperty("payload")),
        };
    }

    // Raw CR and LF can only be whitespace between JSON tokens (inside strings they are escaped), so turning them
    // into spaces keeps the JSON's meaning and puts it on one line.
    private static byte[] SingleLine(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes.AsSpan().Replace((byte)'\r', (byte)' ');
        bytes.AsSpan().Replace((byte)'\n', (byte)' ');
        return bytes;
    }
}
