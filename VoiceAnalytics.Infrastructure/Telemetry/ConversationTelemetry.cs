using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace VoiceAnalytics.Infrastructure.Telemetry;

/// <summary>
/// The shared vocabulary that makes one conversation one trace: the <c>conversation.id</c> attribute on spans
/// and log scopes, and the W3C <c>traceparent</c> stored with a job so an asynchronous stage continues the
/// trace that the webhook started.
/// </summary>
public static class ConversationTelemetry
{
    /// <summary>Span attribute and log-scope key carrying the ElevenLabs conversation id.</summary>
    public const string ConversationIdAttribute = "conversation.id";

    /// <summary>Tags <paramref name="activity"/> (or the current one) with the conversation id.</summary>
    public static Activity? TagConversation(this Activity? activity, string? conversationId)
    {
        if (activity is not null && !string.IsNullOrEmpty(conversationId))
        {
            activity.SetTag(ConversationIdAttribute, conversationId);
        }
        return activity;
    }

    /// <summary>A log scope whose every record carries <c>conversation.id</c>.</summary>
    public static IDisposable? BeginConversationScope(this ILogger logger, string? conversationId) =>
        logger.BeginScope(new Dictionary<string, object?> { [ConversationIdAttribute] = conversationId });

    /// <summary>The W3C traceparent of the current span, to be stored with a job; null outside a trace.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts a span that continues a stored trace: its parent is the stored traceparent, so the job appears
    /// inside the conversation's trace even though it runs later, in another process.
    /// </summary>
    public static Activity? StartContinuation(this ActivitySource source, string name, string? storedTraceParent,
        ActivityKind kind = ActivityKind.Consumer)
    {
        var parent = storedTraceParent is not null && ActivityContext.TryParse(storedTraceParent, null, out var context)
            ? context
            : default;
        return source.StartActivity(name, kind, parent);
    }
}
