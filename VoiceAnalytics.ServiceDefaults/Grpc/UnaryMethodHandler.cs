using System.Diagnostics;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VoiceAnalytics.ServiceDefaults.Grpc;

/// <summary>
/// Serves one unary method over HTTP/2: checks the request's protocol and content type, honours
/// <c>grpc-timeout</c> as a cancellation deadline, reads exactly one length-prefixed message, calls the handler,
/// writes the framed reply and ends with <c>grpc-status</c>/<c>grpc-message</c> trailers.
/// </summary>
internal sealed class UnaryMethodHandler<TRequest, TResponse>(
    string serviceName, string methodName, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
    where TRequest : IMessage<TRequest>, new()
    where TResponse : IMessage<TResponse>
{
    private static readonly MessageParser<TRequest> Parser = new(() => new TRequest());

    private readonly string _fullMethod = $"/{serviceName}/{methodName}";

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        if (!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }

        var activity = Activity.Current;
        if (activity is not null)
        {
            activity.DisplayName = $"{serviceName}/{methodName}";
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", serviceName);
            activity.SetTag("rpc.method", methodName);
        }

        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;

        using var deadline = StartDeadline(request, http.RequestAborted, out var deadlineUtc);
        var context = new GrpcCallContext(http, _fullMethod, deadlineUtc, deadline.Token);
        StatusCode status;
        string? detail = null;
        try
        {
            var message = await ReadRequestAsync(http, deadline.Token);
            var reply = await handler(message, context);
            if (deadlineUtc is { } due && DateTime.UtcNow >= due)
            {
                throw new RpcException(StatusCode.DeadlineExceeded, "Deadline exceeded.");
            }
            await WriteReplyAsync(http, reply, deadline.Token);
            status = StatusCode.OK;
        }
        catch (RpcException ex)
        {
            (status, detail) = (ex.StatusCode, ex.Detail);
        }
        catch (OperationCanceledException) when (deadlineUtc is { } due && DateTime.UtcNow >= due)
        {
            (status, detail) = (StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            (status, detail) = (StatusCode.Cancelled, "The caller cancelled the call.");
        }
        catch (Exception ex)
        {
            // The exception stays in this process's logs; the caller learns only that the server failed.
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("VoiceAnalytics.Grpc");
            GrpcServerLog.HandlerFailed(logger, _fullMethod, ex);
            (status, detail) = (StatusCode.Internal, "Exception was thrown by handler.");
        }

        activity?.SetTag("rpc.grpc.status_code", (int)status);
        if (status != StatusCode.OK)
        {
            activity?.SetStatus(ActivityStatusCode.Error, status.ToString());
        }
        WriteStatus(http, status, detail, context);
    }

    private static CancellationTokenSource StartDeadline(HttpRequest request, CancellationToken aborted, out DateTime? deadlineUtc)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadlineUtc = null;
        if (GrpcProtocol.TryParseTimeout(request.Headers[GrpcProtocol.TimeoutHeader], out var timeout))
        {
            deadlineUtc = DateTime.UtcNow + timeout;
            source.CancelAfter(timeout);
        }
        return source;
    }

    private static async Task<TRequest> ReadRequestAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var options = http.RequestServices.GetService<IOptions<GrpcServerOptions>>()?.Value ?? new GrpcServerOptions();
        var encoding = http.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
        var body = http.Request.Body;

        var payload = await GrpcFraming.ReadMessageAsync(body, options.MaxReceiveMessageSize, encoding, cancellationToken)
            ?? throw new RpcException(StatusCode.Internal, "Request message not received: the stream ended before a message.");
        if (await GrpcFraming.ReadMessageAsync(body, options.MaxReceiveMessageSize, encoding, cancellationToken) is not null)
        {
            throw new RpcException(StatusCode.Internal, "A unary call received more than one request message.");
        }
        try
        {
            return Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new RpcException(StatusCode.Internal, "Request message could not be parsed as protobuf.");
        }
    }

    private static async Task WriteReplyAsync(HttpContext http, TResponse reply, CancellationToken cancellationToken)
    {
        var frame = GrpcFraming.Frame(reply);
        await http.Response.Body.WriteAsync(frame, cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    private static void WriteStatus(HttpContext http, StatusCode status, string? detail, GrpcCallContext context)
    {
        var response = http.Response;
        if (!response.HasStarted)
        {
            // Trailers-Only: nothing was sent yet, so the status travels in the only HEADERS frame.
            response.Headers[GrpcProtocol.StatusHeader] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!string.IsNullOrEmpty(detail))
            {
                response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
            }
            foreach (var (key, value) in context.ResponseTrailers)
            {
                response.Headers.Append(key, value);
            }
            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(detail))
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcProtocol.EncodeMessage(detail));
        }
        foreach (var (key, value) in context.ResponseTrailers)
        {
            response.AppendTrailer(key, value);
        }
    }
}
