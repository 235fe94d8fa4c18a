namespace VoiceAnalytics.Gateway.Api;

/// <summary>The public webhook edge. The admin API (<c>/api/v1</c>) gets its own group beside this one.</summary>
public static class WebhookApi
{
    public const string Path = "/webhooks/elevenlabs";

    public static RouteGroupBuilder MapWebhookApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/webhooks").WithTags("Webhooks");
        // Nothing binds the body: the receiver reads the raw bytes itself, because the signature covers them.
        group.MapPost("/elevenlabs", (HttpContext context, WebhookReceiver receiver) => receiver.ReceiveAsync(context))
            .WithName("ReceiveElevenLabsWebhook")
            .WithSummary("Receives a signed ElevenLabs post-call webhook and acknowledges it once it is durable.");
        return group;
    }
}
