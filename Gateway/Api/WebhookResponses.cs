using System.Text.Json.Serialization;

namespace VoiceAnalytics.Gateway.Api;

/// <summary>The 200 answer: the webhook is durable (<c>stored</c>, <c>duplicate</c> or <c>spooled</c>).</summary>
public sealed record WebhookAccepted(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("conversation_id")] string ConversationId);

/// <summary>Every refusal's answer: a stable machine-readable <c>error</c> and a short human message.</summary>
public sealed record WebhookError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message);
