using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Ingest;
using VoiceAnalytics.Gateway.Model;
using VoiceAnalytics.Gateway.Telemetry;
using VoiceAnalytics.Infrastructure.Telemetry;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>
/// <c>POST /webhooks/elevenlabs</c>, cheapest checks first: source address, rate, signature header and its
/// timestamp, media type, size, then the HMAC over the raw bytes, and only then the JSON. A refusal stores
/// nothing; an acceptance is answered only once the event is committed or spooled.
/// </summary>
public sealed partial class WebhookReceiver(
    SourceAllowlist allowlist,
    SourceRateLimiter rateLimiter,
    WebhookSignatureVerifier verifier,
    WebhookIngestor ingestor,
    PayloadSealer sealer,
    GatewayTelemetry telemetry,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<WebhookReceiver> logger,
    AuditTrail? audit = null)
{
    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;

    public async Task<Results<Ok<WebhookAccepted>, JsonHttpResult<WebhookError>>> ReceiveAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = GatewayTelemetry.ActivitySource.StartActivity("webhook elevenlabs");
        var request = context.Request;
        var source = context.Connection.RemoteIpAddress;

        if (!allowlist.IsAllowed(source))
        {
            LogSourceRefused(source?.ToString());
            return Reject(activity, WebhookRejection.IpNotAllowed, "The source address is not in the allowlist.");
        }
        if (!rateLimiter.TryAcquire(source, out var retryAfter))
        {
            // When the window will have room again, rounded up: a sender that waits this long is accepted.
            context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Reject(activity, WebhookRejection.RateLimited, "Too many webhooks from this address; retry later.");
        }
        var headerValue = request.Headers[SignatureHeader.Name].ToString();
        if (headerValue.Length == 0)
        {
            return Reject(activity, WebhookRejection.MissingSignature, $"The {SignatureHeader.Name} header is missing.");
        }
        if (SignatureHeader.TryParse(headerValue) is not { } signature)
        {
            return Reject(activity, WebhookRejection.InvalidSignature, $"The {SignatureHeader.Name} header must look like t=<unix>,v0=<hex>.");
        }
        if (!verifier.IsFresh(signature.Timestamp))
        {
            return Reject(activity, WebhookRejection.StaleTimestamp, "The signature timestamp is outside the allowed tolerance.");
        }
        if (!IsJson(request.ContentType))
        {
            return Reject(activity, WebhookRejection.UnsupportedMediaType, "The body must be application/json.");
        }

        // The limit is ours (WEBHOOK_MAX_BODY_BYTES), enforced while reading, so that a refusal is a JSON 413.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }
        RequestBody? received;
        try
        {
            received = await RequestBody.ReadAsync(request.Body, request.ContentLength, _maxBodyBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // The sender went away or stopped sending (Kestrel's minimum data rate): nothing to store and nobody to
            // answer, which is the sender's business, not an error of ours: one line at Information (the refusal), no
            // stack trace.
            LogBodyIncomplete(ex.GetType().Name);
            return Reject(activity, WebhookRejection.BodyIncomplete, "The body did not arrive in full.");
        }
        using var body = received;
        if (body is null)
        {
            return Reject(activity, WebhookRejection.BodyTooLarge, $"The body is larger than {_maxBodyBytes} bytes.");
        }
        if (!verifier.IsValid(signature, body.Span))
        {
            return Reject(activity, WebhookRejection.InvalidSignature, "The signature does not match the body.");
        }

        // Sealed while the body is parsed, from the received bytes: the payload is never decoded into a plaintext string.
        var parsed = WebhookParser.Parse(body.Span, ConversationTelemetry.CurrentTraceParent(), time.GetUtcNow(), sealer);
        if (parsed.Event is not { } webhook)
        {
            return Reject(activity, parsed.ErrorReason!, parsed.ErrorMessage!);
        }
        activity.TagConversation(webhook.ConversationId)?.SetTag("elevenlabs.event_type", webhook.Type);
        using var scope = logger.BeginConversationScope(webhook.ConversationId);

        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(webhook with { SourceAddress = source?.ToString() });
        }
        catch (SpoolUnavailableException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "spool unavailable");
            return Reject(activity, WebhookRejection.SpoolUnavailable, "The event could not be stored; retry later.");
        }

        if (outcome == IngestOutcome.Refused)
        {
            return Reject(activity, WebhookRejection.UnstorableValue, "The database refuses a value in this event; it was not stored.");
        }
        var outcomeName = outcome switch
        {
            IngestOutcome.Stored => "stored",
            IngestOutcome.Duplicate => "duplicate",
            IngestOutcome.Erased => "erased",
            _ => "spooled",
        };
        if (outcome == IngestOutcome.Erased && audit is not null)
        {
            // Acknowledged (a refusal would only make the sender retry) and dropped; the drop is on the record.
            await audit.AppendAsync(new AuditEntry("system:webhook", "system", "webhook.dropped_erased", $"conversation/{webhook.ConversationId}",
                webhook.ConversationId, source?.ToString(), activity?.TraceId.ToHexString(),
                new Dictionary<string, string?> { ["event_type"] = webhook.Type }), CancellationToken.None);
        }
        if (outcome == IngestOutcome.Duplicate)
        {
            telemetry.Duplicate(webhook.Type);
        }
        else
        {
            telemetry.Accepted(webhook.Type);
        }
        telemetry.IngestDuration(Stopwatch.GetElapsedTime(started), outcomeName);
        activity?.SetTag("gateway.outcome", outcomeName);
        LogAccepted(webhook.Type, webhook.ConversationId, outcomeName);
        return TypedResults.Ok(new WebhookAccepted("ok", outcomeName, webhook.ConversationId));
    }

    private JsonHttpResult<WebhookError> Reject(Activity? activity, string reason, string message)
    {
        telemetry.Rejected(reason);
        activity?.SetTag("gateway.rejected", reason);
        LogRejected(reason);
        return TypedResults.Json(new WebhookError(reason, message), statusCode: WebhookRejection.StatusCodeOf(reason));
    }

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook {EventType} for {ConversationId}: {Outcome}")]
    private partial void LogAccepted(string eventType, string conversationId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook refused: {Reason}")]
    private partial void LogRejected(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Webhook body incomplete: the sender aborted or stalled ({Error})")]
    private partial void LogBodyIncomplete(string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Source {Source} is not in the allowlist")]
    private partial void LogSourceRefused(string? source);
}
