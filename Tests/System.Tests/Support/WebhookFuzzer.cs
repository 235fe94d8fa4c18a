using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoiceAnalytics.TestSupport;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Seeded generator of hostile webhook requests. Most bodies are validly signed, so that parsing is exercised past
/// the signature check; the rest attack the signature, the timestamp, the media type, the size and the transport.
/// Every case that could be stored carries a conversation id of its own, so a stored rejection is visible.
/// </summary>
public sealed class WebhookFuzzer(Random random, HttpClient gateway, WebhookSigner signer, string prefix, int maxBodyBytes)
{
    private static readonly string[] EventTypes = ["post_call_transcription", "post_call_transcription_otel", "call_initiation_failure", "post_call_audio", "zz_unknown_type"];

    // Text as a sender writes it: Cyrillic and other non-ASCII as UTF-8, not \u escapes.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = global::System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public List<WebhookFuzzCase> Generate(int count)
    {
        var families = new (int Weight, Func<int, WebhookFuzzCase> Make)[]
        {
            (14, BadJson),
            (14, WrongTypes),
            (8, DeepNesting),
            (8, HugeOrOddStrings),
            (8, InvalidUtf8),
            (16, BadSignature),
            (6, Replay),
            (5, BadContentType),
            (3, Oversized),
            (8, RawTransport),
            (10, HostileButValid),
        };
        var total = families.Sum(f => f.Weight);
        var cases = new List<WebhookFuzzCase>(count);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(total);
            foreach (var (weight, make) in families)
            {
                if ((pick -= weight) < 0)
                {
                    cases.Add(make(i));
                    break;
                }
            }
        }
        return cases;
    }

    private string Id(int index) => $"{prefix}{index:D6}";

    private static JsonObject Skeleton(string conversationId, string type = "post_call_transcription") => new()
    {
        ["type"] = type,
        ["event_timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["data"] = new JsonObject
        {
            ["agent_id"] = "agent_fuzz",
            ["conversation_id"] = conversationId,
            ["status"] = "done",
            ["transcript"] = new JsonArray(
                new JsonObject { ["role"] = "agent", ["message"] = "Здравствуйте! Чем могу помочь?" },
                new JsonObject { ["role"] = "user", ["message"] = "Меня зовут Иван, телефон +375 29 123-45-67" }),
        },
    };

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));

    private WebhookFuzzCase Signed(string family, string detail, byte[] body, IReadOnlySet<int> allowed, string? conversationId, string contentType = "application/json") =>
        new(family, detail, async () =>
        {
            using var request = signer.CreateRequest(body);
            request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using var response = await gateway.SendAsync(request);
            return (int)response.StatusCode;
        }, allowed, conversationId);

    private WebhookFuzzCase BadJson(int index)
    {
        var valid = Bytes(Skeleton(Id(index)));
        var variant = random.Next(10);
        var body = variant switch
        {
            0 => valid[..random.Next(1, valid.Length - 1)],                    // truncated
            1 => RandomBytes(random.Next(1, 2000), ascii: true),                // noise
            2 => [.. valid, .. "}}]"u8.ToArray()],                            // trailing garbage
            3 => "[]"u8.ToArray(),
            4 => "null"u8.ToArray(),
            5 => "42"u8.ToArray(),
            6 => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace('"', '\'')), // single quotes
            7 => Encoding.UTF8.GetBytes("/* c */" + Encoding.UTF8.GetString(valid)),        // comment
            8 => [],                                                            // empty
            _ => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace(":", ":NaN,", StringComparison.Ordinal)),
        };
        return Signed("bad-json", variant.ToString(CultureInfo.InvariantCulture), body, WebhookFuzzCase.BadRequest, Id(index));
    }

    private WebhookFuzzCase WrongTypes(int index)
    {
        var root = Skeleton(Id(index));
        var data = root["data"]!.AsObject();
        JsonNode? Oddity() => random.Next(7) switch
        {
            0 => 123,
            1 => null,
            2 => new JsonArray(1, 2),
            3 => new JsonObject { ["x"] = 1 },
            4 => true,
            5 => "",
            _ => 1e300,
        };
        var variant = random.Next(6);
        IReadOnlySet<int> allowed;
        switch (variant)
        {
            case 0:
                root["type"] = Oddity();
                allowed = WebhookFuzzCase.BadRequest;
                break;
            case 1:
                root["data"] = Oddity();
                allowed = WebhookFuzzCase.BadRequest;
                break;
            case 2:
                data["conversation_id"] = Oddity();
                allowed = WebhookFuzzCase.BadRequest;
                break;
            case 3:
                // event_timestamp may arrive as a string; nonsense there may be refused or kept as unknown.
                root["event_timestamp"] = random.Next(2) == 0 ? Oddity() : "not-a-number";
                allowed = WebhookFuzzCase.OkOrBadRequest;
                break;
            case 4:
                data["transcript"] = Oddity();
                allowed = WebhookFuzzCase.Ok; // stored; the analysis copes (or records a dead job) later
                break;
            default:
                root.Remove(random.Next(2) == 0 ? "type" : "data");
                allowed = WebhookFuzzCase.BadRequest;
                break;
        }
        return Signed("wrong-types", variant.ToString(CultureInfo.InvariantCulture), Bytes(root), allowed, Id(index));
    }

    private WebhookFuzzCase DeepNesting(int index)
    {
        int[] depths = [10, 200, 250, 254, 255, 256, 257, 300, 1000, 10_000, 100_000];
        var depth = depths[random.Next(depths.Length)];
        var objects = random.Next(2) == 0;
        var nested = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            nested.Append(objects ? "{\"a\":" : "[");
        }
        nested.Append('1');
        for (var i = 0; i < depth; i++)
        {
            nested.Append(objects ? '}' : ']');
        }
        var text = Skeleton(Id(index)).ToJsonString(Relaxed);
        var body = Encoding.UTF8.GetBytes(text.Insert(text.IndexOf("\"status\"", StringComparison.Ordinal), $"\"nested\":{nested},"));
        // Past the body limit (100,000 levels is ~500 KB) the answer is 413 before any parsing.
        IReadOnlySet<int> allowed = body.Length > maxBodyBytes ? new HashSet<int> { 413 } : WebhookFuzzCase.OkOrBadRequest;
        return Signed("deep-nesting", depth.ToString(CultureInfo.InvariantCulture), body, allowed, Id(index));
    }

    private WebhookFuzzCase HugeOrOddStrings(int index)
    {
        var root = Skeleton(Id(index));
        var data = root["data"]!.AsObject();
        var variant = random.Next(7);
        var allowed = WebhookFuzzCase.Ok;
        var size = random.Next(1_000, maxBodyBytes / 2);
        switch (variant)
        {
            case 0:
                data["transcript"]![1]!["message"] = new string('я', size / 2);
                break;
            case 1:
                data["unknown_" + new string('k', random.Next(1, 5000))] = RandomText(size);
                break;
            case 2:
                data["conversation_id"] = Id(index) + "_" + RandomText(random.Next(2_000, 20_000));
                allowed = WebhookFuzzCase.OkOrBadRequest; // a huge id may be refused; it must never fail the commit
                break;
            case 3:
                data["transcript"]![1]!["message"] = "a\u0000b";
                allowed = WebhookFuzzCase.BadRequest;
                break;
            case 4:
                data["agent_id"] = "LONE_SURROGATE";
                allowed = WebhookFuzzCase.BadRequest;
                break;
            case 5:
                data["transcript"]![1]!["message"] = string.Concat(Enumerable.Repeat("+375 (29) 1-2-3 ", size / 16));
                break;
            default:
                data["transcript"] = new JsonArray([.. Enumerable.Range(0, size / 40).Select(i => (JsonNode)new JsonObject { ["role"] = i % 2 == 0 ? "agent" : "user", ["message"] = "да" })]);
                break;
        }
        // Lone surrogates and NUL must reach the gateway as JSON escapes, exactly as a hostile sender writes them.
        var text = root.ToJsonString(Relaxed);
        if (variant == 4)
        {
            text = text.Replace("LONE_SURROGATE", "\\ud800lone", StringComparison.Ordinal);
        }
        var conversationId = data["conversation_id"]!.GetValue<string>();
        return Signed("huge-or-odd-strings", variant.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetBytes(text), allowed, conversationId);
    }

    private WebhookFuzzCase InvalidUtf8(int index)
    {
        byte[][] poisons = [[0xC3, 0x28], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
        var poison = poisons[random.Next(poisons.Length)];
        var text = Skeleton(Id(index)).ToJsonString(Relaxed);
        var at = text.IndexOf("Иван", StringComparison.Ordinal);
        var prefixBytes = Encoding.UTF8.GetBytes(text[..at]);
        var body = (byte[])[.. prefixBytes, .. poison, .. Encoding.UTF8.GetBytes(text[at..])];
        return Signed("invalid-utf8", Convert.ToHexString(poison), body, WebhookFuzzCase.BadRequest, Id(index));
    }

    private WebhookFuzzCase BadSignature(int index)
    {
        var body = Bytes(Skeleton(Id(index)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var good = signer.Sign(body, now);
        var hex = good[(good.IndexOf("v0=", StringComparison.Ordinal) + 3)..];
        var variant = random.Next(14);
        string? header = variant switch
        {
            0 => null,
            1 => "",
            2 => "garbage",
            3 => $"t=abc,v0={hex}",
            4 => $"v0={hex}",
            5 => $"t={now}",
            6 => $"t={now},v0={hex[..^2]}",
            7 => $"t={now},v0={new string('0', 64)}",
            8 => new WebhookSigner("not-the-secret").Sign(body, now),
            9 => signer.Sign(body, now - 86_400),                    // a day old
            10 => signer.Sign(body, now + 86_400),                   // a day ahead
            11 => $"t=99999999999999999999999,v0={hex}",
            12 => $"t=-5,v0={hex}",
            _ => $"t={now},v0={hex}{new string('a', 8000)}",
        };
        return new WebhookFuzzCase("bad-signature", variant.ToString(CultureInfo.InvariantCulture), async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSigner.Path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, header);
            }
            using var response = await gateway.SendAsync(request);
            return (int)response.StatusCode;
        }, WebhookFuzzCase.Unauthorized, Id(index));
    }

    private WebhookFuzzCase Replay(int index)
    {
        var body = Bytes(Skeleton(Id(index), "call_initiation_failure"));
        var variant = random.Next(3);
        return variant switch
        {
            // The same signed request twice: acknowledged both times, stored once.
            0 => new WebhookFuzzCase("replay", "same request twice", async () =>
            {
                var header = signer.Sign(body);
                var first = await PostAsync(body, header);
                var second = await PostAsync(body, header);
                return first == second ? first : 1000 + second;
            }, WebhookFuzzCase.Ok, Id(index)),
            // A captured request replayed after the tolerance: refused.
            1 => Signed("replay", "old timestamp", body, WebhookFuzzCase.Unauthorized, Id(index)) with
            {
                SendAsync = () => PostAsync(body, signer.Sign(body, DateTimeOffset.UtcNow.AddHours(-1))),
            },
            // A captured signature on another body: refused.
            _ => new WebhookFuzzCase("replay", "signature of another body", () =>
                PostAsync(body, signer.Sign(Bytes(Skeleton(Id(index) + "_other")))), WebhookFuzzCase.Unauthorized, Id(index)),
        };
    }

    private async Task<int> PostAsync(byte[] body, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WebhookSigner.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, header);
        using var response = await gateway.SendAsync(request);
        return (int)response.StatusCode;
    }

    private WebhookFuzzCase BadContentType(int index)
    {
        string[] types = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonp", "image/png"];
        var type = types[random.Next(types.Length)];
        return Signed("content-type", type, Bytes(Skeleton(Id(index))), new HashSet<int> { 415 }, Id(index), type);
    }

    private WebhookFuzzCase Oversized(int index)
    {
        var root = Skeleton(Id(index));
        root["data"]!["padding"] = new string('x', maxBodyBytes + random.Next(1, 4096));
        var body = Bytes(root);
        var chunked = random.Next(2) == 0;
        return new WebhookFuzzCase("oversized", chunked ? "chunked" : "content-length", async () =>
        {
            using var request = signer.CreateRequest(body);
            if (chunked)
            {
                request.Content = new StreamContent(new MemoryStream(body)); // no length: sent chunked
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
            using var response = await gateway.SendAsync(request);
            return (int)response.StatusCode;
        }, new HashSet<int> { 413 }, Id(index));
    }

    private WebhookFuzzCase RawTransport(int index)
    {
        var server = gateway.BaseAddress!;
        var body = Bytes(Skeleton(Id(index), "call_initiation_failure"));
        var signature = $"{WebhookSigner.HeaderName}: {signer.Sign(body)}";
        var wrong = $"{WebhookSigner.HeaderName}: {new WebhookSigner("wrong").Sign(body)}";
        const string json = "Content-Type: application/json";
        var variant = random.Next(8);
        return variant switch
        {
            // Two signature headers: one valid, one not, in either order. A refusal or an acceptance, never an error.
            0 => Raw("duplicate signature headers", RawHttp.PostHead(server, [json, signature, wrong, $"Content-Length: {body.Length}"]), body, new HashSet<int> { 200, 400, 401 }, index),
            1 => Raw("duplicate signature headers reversed", RawHttp.PostHead(server, [json, wrong, signature, $"Content-Length: {body.Length}"]), body, new HashSet<int> { 200, 400, 401 }, index),
            // A Content-Length that promises more than is sent, then the sender stops writing.
            2 => Raw("short body", RawHttp.PostHead(server, [json, signature, $"Content-Length: {body.Length + 100}"]), body, new HashSet<int> { 0, 400 }, index, closeEarly: true),
            // A Content-Length far above the limit: refused before any body is read.
            3 => Raw("huge content-length", RawHttp.PostHead(server, [json, signature, "Content-Length: 99999999999"]), [], new HashSet<int> { 0, 413 }, index, closeEarly: true),
            // A slow but valid sender: accepted.
            4 => Raw("slow body", RawHttp.PostHead(server, [json, signature, $"Content-Length: {body.Length}"]), body, WebhookFuzzCase.Ok, index, trickle: TimeSpan.FromMilliseconds(100)),
            // Two Content-Length headers that disagree: a request smuggling attempt.
            5 => Raw("conflicting content-length", RawHttp.PostHead(server, [json, signature, $"Content-Length: {body.Length}", "Content-Length: 5"]), body, new HashSet<int> { 0, 400 }, index),
            // Bad chunked framing.
            6 => Raw("bad chunk size", RawHttp.PostHead(server, [json, signature, "Transfer-Encoding: chunked"]), "zz\r\nabc\r\n0\r\n\r\n"u8.ToArray(), new HashSet<int> { 0, 400 }, index),
            _ => Raw("garbage request line", "GARBAGE / HTTP/9.9\r\n\r\n", [], new HashSet<int> { 0, 400, 505 }, index),
        };
    }

    private WebhookFuzzCase Raw(string detail, string head, byte[] body, IReadOnlySet<int> allowed, int index, TimeSpan? trickle = null, bool closeEarly = false) =>
        new("raw-transport", detail, () => RawHttp.SendAsync(gateway.BaseAddress!, head, body, trickle, closeEarly), allowed, Id(index));

    private WebhookFuzzCase HostileButValid(int index)
    {
        var type = EventTypes[random.Next(EventTypes.Length)];
        var root = Skeleton(Id(index), type);
        var data = root["data"]!.AsObject();
        var variant = random.Next(6);
        switch (variant)
        {
            case 0:
                data["transcript"] = new JsonArray(new JsonObject { ["role"] = 5, ["message"] = new JsonArray(1, 2) }, "text", null);
                break;
            case 1:
                data["metadata"] = new JsonObject { ["call_duration_secs"] = "forever", ["phone_call"] = new JsonObject { ["external_number"] = RandomText(300) } };
                break;
            case 2:
                data["analysis"] = new JsonObject { ["call_successful"] = new JsonArray("success", 7), ["transcript_summary"] = RandomText(5000) };
                break;
            case 3:
                root["event_timestamp"] = random.Next(2) == 0 ? "1767607331" : "  17676e3 ";
                break;
            case 4:
                data["full_audio"] = random.Next(2) == 0 ? "!!!not base64!!!" : Convert.ToBase64String(RandomBytes(3000, ascii: false));
                break;
            default:
                root[RandomText(20)] = new JsonObject { [RandomText(10)] = RandomText(100) };
                break;
        }
        // Audio that is not base64 is a clear 400; everything else is an acceptable event.
        var allowed = type == "post_call_audio" ? WebhookFuzzCase.OkOrBadRequest : variant == 3 ? WebhookFuzzCase.OkOrBadRequest : WebhookFuzzCase.Ok;
        return Signed("hostile-but-valid", $"{type}/{variant}", Bytes(root), allowed, Id(index));
    }

    private byte[] RandomBytes(int length, bool ascii)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        if (ascii)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(32 + (bytes[i] % 95));
            }
        }
        return bytes;
    }

    private string RandomText(int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzАБВГДабвгд0123456789 \"\\/\t\n{}[]:,ñçß€";
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }
        return builder.ToString();
    }
}
