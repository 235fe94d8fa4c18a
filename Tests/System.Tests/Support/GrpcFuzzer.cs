using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;
using VoiceAnalytics.Protos.Analysis.V1;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Seeded hostile gRPC calls against a service's h2c endpoint: bad length prefixes, lies about compression, gzip
/// bombs, oversized and garbage protobuf, wrong content types and deadlines, unknown methods, and raw bytes that
/// are not HTTP/2 at all. Each call's outcome is its HTTP status and grpc-status ("tcp" for raw sockets).
/// </summary>
public sealed class GrpcFuzzer(HttpClient http, Uri endpoint, IReadOnlyList<string> methods)
{
    /// <summary>What the transport answers when a handler throws: the one outcome a hostile request must never cause.</summary>
    public const string HandlerFailure = "Exception was thrown by handler.";

    /// <summary>
    /// The variants whose body is not a well-formed gRPC message: random bytes, a length it does not keep, a bad
    /// compressed flag, a compressed frame that is not what its encoding says, bytes that are not protobuf.
    /// grpc-dotnet answers a request it cannot read with <c>Unknown</c> ("Exception was thrown by handler.")
    /// before any of the service's code runs; every other variant reaches the service's handlers.
    /// </summary>
    public static bool IsUnreadableMessage(int variant) => variant is 0 or 1 or 2 or 3 or 4 or 5 or 7;

    /// <summary>One call drawn from <paramref name="random"/> (a generator per call keeps a parallel run repeatable).</summary>
    public async Task<GrpcFuzzOutcome> SendOneAsync(Random random)
    {
        var method = random.Next(20) == 0 ? "/voiceanalytics.nope.v1.Nope/Nothing" : methods[random.Next(methods.Count)];
        var variant = random.Next(14);
        if (variant == 13)
        {
            return await RawSocketAsync(random);
        }
        var contentType = "application/grpc";
        string? encoding = null, timeout = null;
        byte[] body;
        switch (variant)
        {
            case 0:
                body = RandomBytes(random, random.Next(0, 64));
                break;
            case 1:
                body = Frame(0, (uint)random.Next(10, 10_000), RandomBytes(random, random.Next(0, 9))); // promises more than it sends
                break;
            case 2:
                body = Frame(0, uint.MaxValue, RandomBytes(random, 16));
                break;
            case 3:
                body = Frame((byte)random.Next(2, 256), 4, RandomBytes(random, 4));
                break;
            case 4:
                body = Frame(1, 8, RandomBytes(random, 8)); // compressed flag, no grpc-encoding
                break;
            case 5:
                encoding = random.Next(2) == 0 ? "gzip" : "br";
                body = Frame(1, 32, RandomBytes(random, 32)); // not gzip at all
                break;
            case 6:
                encoding = "gzip";
                var bomb = Gzip(new byte[random.Next(5, 40) * 1024 * 1024]); // zeros: megabytes from a few KB
                body = Frame(1, (uint)bomb.Length, bomb);
                break;
            case 7:
                var garbage = RandomBytes(random, random.Next(1, 512));
                body = Frame(0, (uint)garbage.Length, garbage);
                break;
            case 8:
                var big = new AnalyzeNowRequest { ConversationId = new string('x', 5 * 1024 * 1024) }.ToByteArray();
                body = Frame(0, (uint)big.Length, big);
                break;
            case 9:
                var one = new AnalyzeNowRequest { ConversationId = "fuzz_" + random.Next() }.ToByteArray();
                body = [.. Frame(0, (uint)one.Length, one), .. Frame(0, (uint)one.Length, one)]; // two messages in a unary call
                break;
            case 10:
                contentType = random.Next(3) switch { 0 => "application/json", 1 => "text/plain", _ => "application/grpc-web" };
                body = Frame(0, 0, []);
                break;
            case 11:
                timeout = random.Next(3) switch { 0 => "abc", 1 => "99999999999H", _ => "1n" };
                body = Frame(0, 0, []);
                break;
            default:
                var valid = new AnalyzeNowRequest { ConversationId = "fuzz_missing_" + random.Next(), Reason = "fuzz" }.ToByteArray();
                body = Frame(0, (uint)valid.Length, valid); // well formed; the conversation does not exist
                break;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }
        if (timeout is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        }
        try
        {
            using var response = await http.SendAsync(request);
            _ = await response.Content.ReadAsByteArrayAsync();
            var status = Header(response.Headers, "grpc-status") ?? Header(response.TrailingHeaders, "grpc-status") ?? "-";
            var message = Uri.UnescapeDataString(Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message") ?? "");
            return new GrpcFuzzOutcome(variant, method, (int)response.StatusCode, status, message);
        }
        catch (HttpRequestException ex)
        {
            return new GrpcFuzzOutcome(variant, method, 0, "reset", ex.HttpRequestError.ToString());
        }
    }

    /// <summary>Bytes that are not a valid HTTP/2 conversation: noise, HTTP/1.1, or the preface followed by garbage frames.</summary>
    private async Task<GrpcFuzzOutcome> RawSocketAsync(Random random)
    {
        var kind = random.Next(3);
        byte[] bytes = kind switch
        {
            0 => RandomBytes(random, random.Next(1, 4096)),
            1 => "POST /voiceanalytics.analysis.v1.Analysis/Submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\nContent-Length: 5\r\n\r\n\0\0\0\0\0"u8.ToArray(),
            _ => [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), .. RandomBytes(random, random.Next(9, 2048))],
        };
        try
        {
            using var client = new TcpClient();
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancel.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(bytes, cancel.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer, cancel.Token) > 0)
            {
                // Drain until the server closes (a GOAWAY, a 400, or nothing).
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
            // A dropped connection is the expected answer to garbage.
        }
        return new GrpcFuzzOutcome(13, "tcp", 0, "tcp", kind.ToString(CultureInfo.InvariantCulture));
    }

    private static byte[] Frame(byte flag, uint length, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string? Header(HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
