using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// Reads an ElevenLabs webhook in one forward pass over the raw bytes, without building a DOM: a 6 MB
/// post_call_audio body is read once, its base64 decoded straight into the recording's array, and the event JSON
/// kept as received except for that one value. Fields it does not know are left in the payload untouched. Given a
/// sealer, it returns the event sealed, its payload encrypted from the received bytes.
/// </summary>
public static class WebhookParser
{
    /// <summary>Deepest nesting accepted (ElevenLabs payloads are about six levels deep); the spool reads back this deep too.</summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Longest type, conversation id or agent id accepted. They are keys in btree indexes, whose rows Postgres caps at
    /// about 2.7 KB: a longer key would be acknowledged and then refused by every commit. ElevenLabs ids are ~32 characters.
    /// </summary>
    public const int MaxIdentifierLength = 256;

    private enum RootField { Other, Type, EventTimestamp, Data }

    private enum DataField { Other, ConversationId, AgentId, FullAudio, Metadata, ClientData }

    // The two places ElevenLabs puts the caller's number: data.metadata.phone_call.external_number and
    // data.conversation_initiation_client_data.dynamic_variables.system__caller_id.
    private enum CallerParent { None, PhoneCall, DynamicVariables }

    private enum CallerField { None, ExternalNumber, CallerId }

    /// <summary>
    /// The event of <paramref name="body"/>, or why it is refused. With <paramref name="sealer"/> the event comes back
    /// sealed (<see cref="PayloadSealer.Seal"/>), its payload encrypted from <paramref name="body"/>'s bytes as they
    /// are; without, its payload is the JSON text in clear.
    /// </summary>
    public static WebhookParseResult Parse(ReadOnlySpan<byte> body, string? traceParent, DateTimeOffset receivedAt, PayloadSealer? sealer = null)
    {
        // Postgres refuses invalid UTF-8, and jsonb refuses NUL, lone surrogates and numbers beyond numeric's range:
        // catch them all here, as a 400, rather than acknowledge an event that a commit or a replay would refuse.
        if (!Utf8.IsValid(body))
        {
            return WebhookParseResult.Fail(WebhookRejection.MalformedJson, "The body is not valid UTF-8.");
        }

        string? type = null, conversationId = null, agentId = null;
        long? eventTimestamp = null;
        int audioStart = -1, audioLength = 0;
        var audioEscaped = false;
        string? externalNumber = null, callerId = null;
        var level2 = DataField.Other;
        var level3 = CallerParent.None;
        var inLevel3 = CallerParent.None;
        var callerField = CallerField.None;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return WebhookParseResult.Fail(WebhookRejection.MalformedJson, "The body must be a JSON object.");
            }
            var rootField = RootField.Other;
            var dataField = DataField.Other;
            var inData = false;
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        RejectNul(ref reader);
                        if (depth == 1)
                        {
                            rootField = reader.ValueTextEquals("type"u8) ? RootField.Type
                                : reader.ValueTextEquals("event_timestamp"u8) ? RootField.EventTimestamp
                                : reader.ValueTextEquals("data"u8) ? RootField.Data
                                : RootField.Other;
                        }
                        else if (depth == 2 && inData)
                        {
                            dataField = reader.ValueTextEquals("conversation_id"u8) ? DataField.ConversationId
                                : reader.ValueTextEquals("agent_id"u8) ? DataField.AgentId
                                : reader.ValueTextEquals("full_audio"u8) ? DataField.FullAudio
                                : reader.ValueTextEquals("metadata"u8) ? DataField.Metadata
                                : reader.ValueTextEquals("conversation_initiation_client_data"u8) ? DataField.ClientData
                                : DataField.Other;
                        }
                        else if (depth == 3 && level2 != DataField.Other)
                        {
                            level3 = level2 == DataField.Metadata && reader.ValueTextEquals("phone_call"u8) ? CallerParent.PhoneCall
                                : level2 == DataField.ClientData && reader.ValueTextEquals("dynamic_variables"u8) ? CallerParent.DynamicVariables
                                : CallerParent.None;
                        }
                        else if (depth == 4 && inLevel3 != CallerParent.None)
                        {
                            callerField = inLevel3 == CallerParent.PhoneCall && reader.ValueTextEquals("external_number"u8) ? CallerField.ExternalNumber
                                : inLevel3 == CallerParent.DynamicVariables && reader.ValueTextEquals("system__caller_id"u8) ? CallerField.CallerId
                                : CallerField.None;
                        }
                        break;
                    case JsonTokenType.StartObject when depth == 1:
                        inData = rootField == RootField.Data;
                        break;
                    case JsonTokenType.StartObject when depth == 2 && inData:
                        level2 = dataField is DataField.Metadata or DataField.ClientData ? dataField : DataField.Other;
                        break;
                    case JsonTokenType.StartObject when depth == 3 && level2 != DataField.Other:
                        inLevel3 = level3;
                        break;
                    case JsonTokenType.EndObject when depth == 1:
                        inData = false;
                        break;
                    case JsonTokenType.EndObject when depth == 2:
                        level2 = DataField.Other;
                        break;
                    case JsonTokenType.EndObject when depth == 3:
                        inLevel3 = CallerParent.None;
                        break;
                    case JsonTokenType.String when depth == 2 && inData && dataField == DataField.FullAudio:
                        // Only remembered here: whether it is audio depends on "type", which may come later. If it is
                        // not audio the value is stored as it is, so it must pass what every other string passes.
                        RejectNul(ref reader);
                        audioStart = (int)reader.TokenStartIndex;
                        audioLength = reader.ValueSpan.Length;
                        audioEscaped = reader.ValueIsEscaped;
                        break;
                    case JsonTokenType.String:
                        RejectNul(ref reader);
                        if (depth == 1 && rootField == RootField.Type)
                        {
                            type = reader.GetString();
                        }
                        else if (depth == 1 && rootField == RootField.EventTimestamp)
                        {
                            eventTimestamp = ParseTimestamp(reader.GetString());
                        }
                        else if (depth == 2 && inData && dataField == DataField.ConversationId)
                        {
                            conversationId = reader.GetString();
                        }
                        else if (depth == 2 && inData && dataField == DataField.AgentId)
                        {
                            agentId = reader.GetString();
                        }
                        else if (depth == 4 && callerField == CallerField.ExternalNumber)
                        {
                            externalNumber = reader.GetString();
                        }
                        else if (depth == 4 && callerField == CallerField.CallerId)
                        {
                            callerId = reader.GetString();
                        }
                        break;
                    case JsonTokenType.Number:
                        if (!PostgresNumber.IsStorable(reader.ValueSpan))
                        {
                            return WebhookParseResult.Fail(WebhookRejection.UnstorableValue,
                                $"A number at line {CurrentLine(body, reader.TokenStartIndex)} is outside the range Postgres can store.");
                        }
                        if (depth == 1 && rootField == RootField.EventTimestamp)
                        {
                            eventTimestamp = reader.TryGetInt64(out var whole) ? whole
                                : reader.TryGetDouble(out var real) && Math.Abs(real) < long.MaxValue ? (long)Math.Floor(real) : null;
                        }
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A position, never content: the reader's own message may quote a piece of the body.
            return WebhookParseResult.Fail(WebhookRejection.MalformedJson, ex is JsonException json
                ? $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})."
                : "The body holds a string Postgres cannot store (NUL or a lone surrogate).");
        }

        if (string.IsNullOrWhiteSpace(type))
        {
            return WebhookParseResult.Fail(WebhookRejection.MissingField, "\"type\" is missing.");
        }
        if (string.IsNullOrWhiteSpace(conversationId))
        {
            return WebhookParseResult.Fail(WebhookRejection.MissingField, "\"data.conversation_id\" is missing.");
        }
        if (type.Length > MaxIdentifierLength || conversationId.Length > MaxIdentifierLength || agentId?.Length > MaxIdentifierLength)
        {
            return WebhookParseResult.Fail(WebhookRejection.FieldTooLong,
                $"\"type\", \"data.conversation_id\" and \"data.agent_id\" may be at most {MaxIdentifierLength} characters.");
        }

        byte[]? audio = null;
        string payload;
        if (type == WebhookEventTypes.Audio && audioStart >= 0)
        {
            var token = body.Slice(audioStart, audioLength + 2);
            audio = DecodeBase64(token, audioEscaped);
            if (audio is null)
            {
                return WebhookParseResult.Fail(WebhookRejection.InvalidAudio, "\"data.full_audio\" is not valid base64.");
            }
            // The recording is stored once, as bytes; the event JSON keeps its shape with the value nulled.
            payload = PayloadWithoutAudio(body[..audioStart], body[(audioStart + token.Length)..], sealer);
        }
        else
        {
            payload = sealer is null ? Encoding.UTF8.GetString(body) : sealer.SealPayload(body);
        }
        var parsed = new WebhookEvent(type, conversationId, agentId, eventTimestamp, payload, audio, traceParent, receivedAt)
        {
            CallerPhone = externalNumber ?? callerId,
        };
        // The payload is sealed already, so sealing the event only encrypts the recording and hashes the number.
        return new WebhookParseResult(sealer is null ? parsed : sealer.Seal(parsed), null, null);
    }

    private static string PayloadWithoutAudio(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, PayloadSealer? sealer)
    {
        var length = before.Length + 4 + after.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var json = rented.AsSpan(0, length);
            before.CopyTo(json);
            "null"u8.CopyTo(json[before.Length..]);
            after.CopyTo(json[(before.Length + 4)..]);
            return sealer is null ? Encoding.UTF8.GetString(json) : sealer.SealPayload(json);
        }
        finally
        {
            // The plaintext of the event: cleared before the buffer goes back to the pool.
            rented.AsSpan(0, length).Clear();
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static long CurrentLine(ReadOnlySpan<byte> body, long index) => body[..(int)index].Count((byte)'\n') + 1;

    private static void RejectNul(ref Utf8JsonReader reader)
    {
        // Only an escape can put a NUL in a JSON string; unescaping costs only for the rare escaped values.
        if (reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
        {
            throw new FormatException();
        }
    }

    private static long? ParseTimestamp(string? value)
    {
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional) && double.IsFinite(fractional))
        {
            return (long)Math.Floor(fractional);
        }
        // An ISO date is not what ElevenLabs sends, but it is unambiguous; anything else stays in the payload only.
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.ToUnixTimeSeconds()
            : null;
    }

    /// <summary>Decodes the quoted JSON string <paramref name="token"/> as base64; null when it is not base64.</summary>
    private static byte[]? DecodeBase64(ReadOnlySpan<byte> token, bool escaped)
    {
        var encoded = token[1..^1];
        byte[]? rented = null;
        try
        {
            if (escaped)
            {
                // Some encoders write "\/" for "/": unescape first (rare, so the extra copy is acceptable).
                var reader = new Utf8JsonReader(token);
                reader.Read();
                rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
                encoded = rented.AsSpan(0, reader.CopyString(rented));
            }
            var padding = encoded.EndsWith("=="u8) ? 2 : encoded.EndsWith("="u8) ? 1 : 0;
            if (encoded.Length % 4 != 0)
            {
                return null;
            }
            var audio = new byte[(encoded.Length / 4 * 3) - padding];
            var status = Base64.DecodeFromUtf8(encoded, audio, out _, out var written);
            return status == OperationStatus.Done && written == audio.Length ? audio : null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
