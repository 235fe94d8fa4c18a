using System.Net;
using VoiceAnalytics.Foundation.Tests.Echo;
using VoiceAnalytics.ServiceDefaults.Grpc;

namespace VoiceAnalytics.Foundation.Tests.Grpc;

/// <summary>The project's client pointed at a server, plus raw HTTP/2 access for malformed-frame tests.</summary>
internal static class GrpcTestClient
{
    public const string SayMethod = "/voiceanalytics.test.v1.Echo/Say";

    public static readonly HttpClient Http = new(new SocketsHttpHandler { EnableMultipleHttp2Connections = true })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static GrpcChannel Channel(Uri address) => new(Http, address);

    public static Task<SayReply> SayAsync(Uri address, SayRequest request, CallOptions options = default) =>
        Channel(address).UnaryAsync(SayMethod, request, SayReply.Parser, options);

    /// <summary>Sends raw bytes as a gRPC request body and returns the response with its trailers read.</summary>
    public static async Task<(HttpResponseMessage Response, byte[] Body)> SendRawAsync(
        Uri address, string path, byte[] body, string contentType = "application/grpc", Version? version = null,
        IDictionary<string, string>? headers = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }
        var response = await Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response, bytes);
    }

    /// <summary>The grpc-status of a raw response, from its trailers or (Trailers-Only) its headers.</summary>
    public static StatusCode? StatusOf(HttpResponseMessage response)
    {
        var values = response.TrailingHeaders.TryGetValues(GrpcProtocol.StatusHeader, out var t) ? t
            : response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out var h) ? h : null;
        return values is null ? null : (StatusCode)int.Parse(values.First());
    }

    public static string? MessageOf(HttpResponseMessage response)
    {
        var values = response.TrailingHeaders.TryGetValues(GrpcProtocol.MessageHeader, out var t) ? t
            : response.Headers.TryGetValues(GrpcProtocol.MessageHeader, out var h) ? h : null;
        return values is null ? null : GrpcProtocol.DecodeMessage(values.First());
    }
}
