using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// The client side of the transport: unary calls over an HttpClient speaking HTTP/2 with prior knowledge
/// (h2c), deadlines, metadata and cancellation; any non-OK status surfaces as <see cref="RpcException"/>.
/// W3C trace context travels in the <c>traceparent</c> header that HttpClient adds, so a call is a child
/// span of its caller.
/// </summary>
public sealed class GrpcChannel(HttpClient httpClient, Uri? address, int maxReceiveMessageSize = GrpcProtocol.DefaultMaxReceiveMessageSize)
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);

    /// <summary>The server's base address; null when the service has no configured address.</summary>
    public Uri? Address { get; } = address;

    /// <summary>Calls <paramref name="fullMethod"/> (<c>/package.Service/Method</c>) with one request and one reply.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(string fullMethod, TRequest request, MessageParser<TResponse> parser, CallOptions options = default)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        if (Address is null)
        {
            throw new RpcException(StatusCode.Unavailable, $"No address configured for {fullMethod}.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (options.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        using var message = BuildRequest(fullMethod, request, options);
        try
        {
            using var response = await httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await ReadReplyAsync(response, parser, deadline.Token);
        }
        catch (OperationCanceledException ex) when (!options.CancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.", ex);
        }
        catch (OperationCanceledException ex) when (options.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(StatusCode.Cancelled, "The call was cancelled.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RpcException(StatusCode.Unavailable, $"Error connecting to {Address.Authority}: {ex.HttpRequestError}.", ex);
        }
        catch (IOException ex)
        {
            throw new RpcException(StatusCode.Unavailable, "The connection broke during the call.", ex);
        }
    }

    private HttpRequestMessage BuildRequest<TRequest>(string fullMethod, TRequest request, CallOptions options)
        where TRequest : IMessage<TRequest>
    {
        var content = new ByteArrayContent(GrpcFraming.Frame(request));
        content.Headers.ContentType = GrpcContentType;
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Address!, fullMethod))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (options.Timeout is { } timeout)
        {
            message.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(timeout));
        }
        foreach (var (key, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(key, value);
        }
        return message;
    }

    private async Task<TResponse> ReadReplyAsync<TResponse>(HttpResponseMessage response, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(MapHttpStatus(response.StatusCode), $"Bad gRPC response: HTTP {(int)response.StatusCode}.");
        }

        // Trailers-Only: an error with no body carries its status in the headers.
        ThrowIfError(response.Headers);

        var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var payload = await GrpcFraming.ReadMessageAsync(body, maxReceiveMessageSize, encoding, cancellationToken);
        if (payload is not null && await GrpcFraming.ReadMessageAsync(body, maxReceiveMessageSize, encoding, cancellationToken) is not null)
        {
            throw new RpcException(StatusCode.Internal, "A unary call received more than one reply message.");
        }

        if (!ThrowIfError(response.TrailingHeaders))
        {
            throw new RpcException(StatusCode.Internal, "The server sent no grpc-status.");
        }
        if (payload is null)
        {
            throw new RpcException(StatusCode.Internal, "The server ended the call OK without a reply message.");
        }
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "Reply message could not be parsed as protobuf.", ex);
        }
    }

    /// <summary>Throws on a non-OK grpc-status; true when a status (OK) was present.</summary>
    private static bool ThrowIfError(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var statusValues))
        {
            return false;
        }
        var raw = statusValues.FirstOrDefault();
        if (!int.TryParse(raw, out var code))
        {
            throw new RpcException(StatusCode.Internal, $"Unparseable grpc-status '{raw}'.");
        }
        if (code == 0)
        {
            return true;
        }
        var detail = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? messages.FirstOrDefault() : null;
        throw new RpcException((StatusCode)code, GrpcProtocol.DecodeMessage(detail));
    }

    /// <summary>HTTP statuses seen instead of a gRPC status (doc/http-grpc-status-mapping.md).</summary>
    private static StatusCode MapHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
