using VoiceAnalytics.Gateway.Model;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>Either the parsed event, or why the body was refused (a <see cref="WebhookRejection"/> reason and message).</summary>
public sealed record WebhookParseResult(WebhookEvent? Event, string? ErrorReason, string? ErrorMessage)
{
    public static WebhookParseResult Fail(string reason, string message) => new(null, reason, message);
}
